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
    const { facts } = findingFacts(
      makeFinding({ resource: { kind: 'AwsRdsDbInstanceX', id: 'db-1', name: 'db-1' } }),
    );
    expect(facts.find((item) => item.label === 'Instance')).toEqual({ label: 'Instance', value: '`db-1`' });
    const other = findingFacts(makeFinding({ resource: { kind: 'AwsSqsQueue', id: 'q-1' } })).facts;
    expect(other.find((item) => item.label === 'Resource')).toEqual({
      label: 'Resource',
      value: '`AwsSqsQueue` · `q-1`',
    });
  });

  it('takes the remote side from a role tag before the first IP indicator', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'network',
        observables: [
          { dataType: 'ip', data: '192.0.2.1', ioc: true },
          { dataType: 'ip', data: '198.51.100.9', ioc: true, tags: ['remote', 'port:3389', 'country:BR'] },
          { dataType: 'fqdn', data: 'host.internal', ioc: false },
          { dataType: 'domain', data: 'c2.example', ioc: true, tags: ['direction:OUTBOUND'] },
        ],
      }),
    );
    expect(facts.slice(5)).toEqual([
      { label: 'Remote IP', value: '`198.51.100.9` · `BR`' },
      { label: 'Remote port', value: '`3389`' },
      { label: 'Direction', value: '`OUTBOUND`' },
      { label: 'Domain', value: '`c2.example`' },
    ]);
  });

  it('falls back to the first IP indicator, never to a context address', () => {
    const context = findingFacts(
      makeFinding({
        kind: 'iam',
        actor: undefined,
        observables: [{ dataType: 'ip', data: '10.0.0.1', ioc: false }],
      }),
    );
    expect(context.facts.map((item) => item.label)).toEqual([
      'Account',
      'Customer',
      'Region',
      'Access key',
      'Type',
    ]);
  });

  it('reads kind details from key:value tags on any observable, first value wins', () => {
    const { facts } = findingFacts(
      makeFinding({
        kind: 'kubernetes',
        actor: undefined,
        resource: undefined,
        observables: [
          { dataType: 'other', data: 'x', tags: ['namespace:kube-system', 'user:system:anonymous'] },
          {
            dataType: 'other',
            data: 'y',
            tags: ['namespace:default', 'cluster:prod-eks', 'workload:coredns'],
          },
        ],
      }),
    );
    expect(facts.slice(4)).toEqual([
      { label: 'Cluster', value: '`prod-eks`' },
      { label: 'Namespace', value: '`kube-system`' },
      { label: 'Workload', value: '`coredns`' },
      { label: 'User', value: '`system:anonymous`' },
    ]);
  });

  it('returns a remediation URL only when it can be linked', () => {
    const remediation = (data: string) =>
      findingFacts(
        makeFinding({ kind: 'compliance', observables: [{ dataType: 'url', data, tags: ['remediation'] }] }),
      ).remediationUrl;
    expect(remediation('https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html')).toBe(
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html',
    );
    expect(remediation('javascript:alert(1)')).toBeUndefined();
  });
});
