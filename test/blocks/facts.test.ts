import { findingFacts } from '../../blocks/facts';
import { makeFinding } from '../helpers/alerts';

describe('findingFacts', () => {
  it('starts with the common facts and names the resource by its kind', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'network',
        resource: { kind: 'Instance', id: 'i-0abc', name: 'web-1' },
        observables: [],
      }),
    );
    expect(facts).toEqual([
      { label: 'Account', value: '`111122223333` · `payments-prod`' },
      { label: 'Customer', value: '`acme`' },
      { label: 'Region', value: '`eu-west-1`' },
      { label: 'Instance', value: '`i-0abc` · `web-1`' },
      { label: 'Type', value: '`UnauthorizedAccess:IAMUser/TorIPCaller`' },
    ]);
  });

  it('shows an unknown resource kind with the kind itself, and a name equal to the id once', () => {
    const rds = findingFacts(
      makeFinding({ resource: { kind: 'RDSDBInstance', id: 'db-1', name: 'db-1' } }),
    ).facts;
    expect(rds.find((item) => item.label === 'Instance')).toEqual({ label: 'Instance', value: '`db-1`' });
    const queue = findingFacts(makeFinding({ resource: { kind: 'AwsSqsQueue', id: 'q-1' } })).facts;
    expect(queue.find((item) => item.label === 'Resource')).toEqual({
      label: 'Resource',
      value: '`AwsSqsQueue` · `q-1`',
    });
  });

  it('takes the remote side from its tag before the first IP indicator, with direction, port and service', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'network',
        observables: [
          { dataType: 'ip', data: '192.0.2.1', ioc: true },
          {
            dataType: 'ip',
            data: '198.51.100.9',
            ioc: false,
            tags: ['remote-ip', 'direction:outbound', 'victim'],
          },
          { dataType: 'other', data: '3389', tags: ['port:remote', 'service:RDP'] },
          { dataType: 'ip', data: '10.0.0.8', ioc: false, tags: ['local-ip', 'private'] },
          { dataType: 'fqdn', data: 'host.internal', ioc: false },
          { dataType: 'domain', data: 'c2.example', ioc: true, tags: ['dns-request'] },
        ],
      }),
    );
    expect(facts.slice(5)).toEqual([
      { label: 'Remote IP', value: '`198.51.100.9`' },
      { label: 'Direction', value: '`outbound`' },
      { label: 'Remote port', value: '`3389` · `RDP`' },
      { label: 'Domain', value: '`c2.example`' },
    ]);
  });

  it('shows the local port of an inbound connection and the local address when no domain is involved', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'network',
        observables: [
          { dataType: 'ip', data: '198.51.100.7', ioc: true, tags: ['remote-ip', 'direction:inbound'] },
          { dataType: 'other', data: '22', ioc: false, tags: ['port:local', 'service:SSH'] },
          { dataType: 'ip', data: '10.0.1.15', ioc: false, tags: ['local-ip', 'private'] },
        ],
      }),
    );
    expect(facts.slice(5)).toEqual([
      { label: 'Remote IP', value: '`198.51.100.7`' },
      { label: 'Direction', value: '`inbound`' },
      { label: 'Local port', value: '`22` · `SSH`' },
      { label: 'Local IP', value: '`10.0.1.15`' },
    ]);
  });

  it('names the process by its name and path, not by its hash', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'runtime',
        observables: [
          { dataType: 'hash', data: 'e3b0c442', ioc: true, tags: ['process', 'runtime'] },
          { dataType: 'filename', data: '/tmp/x', ioc: false, tags: ['process-path', 'runtime'] },
          { dataType: 'other', data: 'x', ioc: false, tags: ['process', 'runtime'] },
        ],
      }),
    );
    expect(facts.slice(5, 7)).toEqual([
      { label: 'Process', value: '`x` · `/tmp/x`' },
      { label: 'Hash', value: '`e3b0c442`' },
    ]);
  });

  it('never takes a context address as the caller when no address is tagged', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'iam',
        actor: undefined,
        observables: [{ dataType: 'ip', data: '10.0.0.1', ioc: false }],
      }),
    );
    expect(facts.map((item) => item.label)).toEqual(['Account', 'Customer', 'Region', 'Access key', 'Type']);
  });

  it('names the user from the finding’s actor, else from a user-name observable', () => {
    const fromActor = findingFacts(makeFinding()).facts.find((item) => item.label === 'User');
    expect(fromActor).toEqual({ label: 'User', value: '`jdoe` · `jdoe@example.com`' });
    const fromObservable = findingFacts(makeFinding({ actor: undefined })).facts.find(
      (item) => item.label === 'User',
    );
    expect(fromObservable).toEqual({ label: 'User', value: '`jdoe`' });
  });

  it('shows the access key or bucket from observables only when the resource is not that key or bucket', () => {
    const key = findingFacts(makeFinding({ resource: { kind: 'Instance', id: 'i-1' } })).facts;
    expect(key.find((item) => item.label === 'Access key')).toEqual({
      label: 'Access key',
      value: '`AKIAIOSFODNN7EXAMPLE`',
    });
    const bucket = findingFacts(
      makeFinding({
        kind: 'data',
        resource: { kind: 'AccessKey', id: 'AKIAIOSFODNN7EXAMPLE' },
        observables: [{ dataType: 'other', data: 'exports', tags: ['s3-bucket'] }],
      }),
    ).facts;
    expect(bucket.find((item) => item.label === 'Bucket')).toEqual({ label: 'Bucket', value: '`exports`' });
  });

  it('shows a vulnerability and its package for an Inspector finding', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'compliance',
        source: 'securityhub',
        title: 'CVE-2025-47906 - golang stdlib',
        workflowStatus: 'NEW',
        observables: [
          { dataType: 'other', data: 'CVE-2025-47906', ioc: false, tags: ['cve'] },
          { dataType: 'other', data: 'stdlib', ioc: false, tags: ['package'], message: 'installed 1.24.4' },
        ],
      }),
    );
    expect(facts.slice(5)).toEqual([
      { label: 'Workflow', value: '`NEW`' },
      { label: 'Vulnerability', value: '`CVE-2025-47906`' },
      { label: 'Package', value: '`stdlib` · `installed 1.24.4`' },
    ]);
  });

  it('links a Security Hub control’s remediation guide, from the finding id or the title', () => {
    const control = (sourceId: string, title: string) =>
      findingFacts(makeFinding({ kind: 'compliance', source: 'securityhub', sourceId, title }));
    expect(
      control('arn:aws:securityhub:eu-west-1:1:subscription/aws-foundational/v/1.0.0/EC2.7/finding/9f', 'x'),
    ).toMatchObject({
      facts: expect.arrayContaining([{ label: 'Control', value: '`EC2.7`' }]),
      remediationUrl: 'https://docs.aws.amazon.com/console/securityhub/EC2.7/remediation',
    });
    expect(control('9f', 'S3.8 S3 general purpose buckets should block public access').remediationUrl).toBe(
      'https://docs.aws.amazon.com/console/securityhub/S3.8/remediation',
    );
    expect(
      control('9f', '1.3 Ensure credentials unused for 90 days are disabled').remediationUrl,
    ).toBeUndefined();
    expect(findingFacts(makeFinding({ title: 'EC2.2 looks like a control' })).remediationUrl).toBeUndefined();
  });

  it('shows a SIEM alert’s source, destination and user', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'siem',
        source: 'siem',
        actor: undefined,
        observables: [
          { dataType: 'hostname', data: 'ws-17.corp.example', ioc: false, tags: ['src-host'] },
          { dataType: 'ip', data: '203.0.113.5', ioc: true, tags: ['dst'] },
          { dataType: 'other', data: 'svc_backup', ioc: false, tags: ['user-name', 'src'] },
          { dataType: 'url', data: 'http://203.0.113.5/payload', ioc: true, tags: ['request-url'] },
        ],
      }),
    );
    expect(facts.slice(5)).toEqual([
      { label: 'Source', value: '`ws-17.corp.example`' },
      { label: 'Destination', value: '`203.0.113.5`' },
      { label: 'User', value: '`svc_backup`' },
      { label: 'URL', value: '`http://203.0.113.5/payload`' },
    ]);
  });
});
