import fc from 'fast-check';
import { alertMessage, formatTime } from '../../blocks/alert';
import type { ResponseAction } from '../../src/response-actions/response-actions';
import type { Finding, FindingKind, Observable } from '../../src/domain/finding';
import type { AlertRecord, AlertState } from '../../src/domain/alert';
import { makeAlertRecord, type AlertRecordOverrides } from '../helpers/alerts';
import { ESCALATED, STATES } from '../helpers/alert-states';
import { blocksTextLength, limitViolations, mrkdwnProblem, textObjects } from '../helpers/slack-message';

const THEHIVE = { theHiveUrl: 'https://thehive.example.com' };

/** One representative finding per template. */
const KIND_FINDINGS: Record<FindingKind, Partial<Finding>> = {
  iam: {},
  network: {
    fingerprint: 'gd-net-0001',
    title: '198.51.100.7 is performing SSH brute force attacks against i-0abc1234def567890.',
    description: '198.51.100.7 is performing SSH brute force attacks against i-0abc1234def567890.',
    severity: 'MEDIUM',
    sourceSeverity: '5',
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    kind: 'network',
    resource: { kind: 'Instance', id: 'i-0abc1234def567890', name: 'bastion-1' },
    observables: [
      {
        dataType: 'ip',
        data: '198.51.100.7',
        ioc: true,
        tags: [
          'remote-ip',
          'direction:inbound',
          'asn:64500',
          'as-org:Example Hosting',
          'country:United States',
        ],
      },
      { dataType: 'other', data: '22', ioc: false, tags: ['port:local', 'service:SSH'] },
      { dataType: 'other', data: '40512', ioc: false, tags: ['port:remote'] },
      { dataType: 'ip', data: '10.0.1.15', ioc: false, tags: ['local-ip', 'private'] },
    ],
    actor: undefined,
  },
  data: {
    fingerprint: 'gd-s3-0001',
    title: 'An S3 API was invoked from a known malicious IP address.',
    description: 'GetObject was invoked on bucket customer-exports from 203.0.113.77.',
    type: 'Impact:S3/MaliciousIPCaller',
    kind: 'data',
    resource: { kind: 'S3Bucket', id: 'arn:aws:s3:::customer-exports', name: 'customer-exports' },
    observables: [
      { dataType: 'ip', data: '203.0.113.77', ioc: true, tags: ['remote-ip', 'aws-api-call'] },
      { dataType: 'other', data: 'customer-exports', ioc: false, tags: ['s3-bucket'] },
      { dataType: 'other', data: 'analytics-svc', ioc: false, tags: ['user-name'] },
    ],
    actor: undefined,
  },
  runtime: {
    fingerprint: 'gd-rt-0001',
    title: 'A newly created binary was executed on an EC2 instance.',
    description: 'Process /tmp/.x/kworker was executed and contacted pool.miner.example.',
    severity: 'CRITICAL',
    sourceSeverity: '9.2',
    type: 'Execution:Runtime/NewBinaryExecuted',
    kind: 'runtime',
    resource: { kind: 'Instance', id: 'i-0fedcba9876543210' },
    observables: [
      {
        dataType: 'hash',
        data: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        ioc: true,
        tags: ['process', 'runtime', 'sha256'],
      },
      { dataType: 'filename', data: '/tmp/.x/kworker', ioc: false, tags: ['process-path', 'runtime'] },
      { dataType: 'other', data: 'kworker', ioc: false, tags: ['process', 'runtime'] },
      { dataType: 'domain', data: 'pool.miner.example', ioc: true, tags: ['dns-request'] },
      { dataType: 'ip', data: '192.0.2.200', ioc: true, tags: ['remote-ip'] },
    ],
    actor: undefined,
  },
  kubernetes: {
    fingerprint: 'gd-k8s-0001',
    title: 'Command executed inside a pod in the kube-system namespace.',
    description: 'A command was executed inside the aws-node pod in kube-system.',
    severity: 'MEDIUM',
    sourceSeverity: '5',
    type: 'Execution:Kubernetes/ExecInKubeSystemPod',
    kind: 'kubernetes',
    resource: {
      kind: 'EKSCluster',
      id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eks',
      name: 'prod-eks',
    },
    observables: [
      { dataType: 'ip', data: '198.51.100.44', ioc: true, tags: ['remote-ip', 'k8s-api-call', 'asn:64501'] },
      { dataType: 'other', data: 'prod-eks', ioc: false, tags: ['eks-cluster'] },
      { dataType: 'other', data: 'ops-admin', ioc: false, tags: ['k8s-user'] },
      { dataType: 'other', data: 'kube-system', ioc: false, tags: ['k8s-namespace'] },
      { dataType: 'other', data: 'aws-node', ioc: false, tags: ['k8s-workload'] },
    ],
    actor: undefined,
  },
  compliance: {
    fingerprint: 'sh-ctl-0001',
    source: 'securityhub',
    product: 'Security Hub',
    sourceId:
      'arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.2/finding/1a2b',
    title: 'EC2.2 The VPC default security group should not allow inbound and outbound traffic',
    description: 'This control checks whether the default security group of a VPC allows traffic.',
    severity: 'MEDIUM',
    sourceSeverity: 'MEDIUM (Normalized 40)',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    kind: 'compliance',
    resource: {
      kind: 'AwsEc2SecurityGroup',
      id: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123',
    },
    observables: [],
    consoleUrl: 'https://console.aws.amazon.com/securityhub/home?region=eu-west-1#/controls/EC2.2',
    actor: undefined,
  },
  siem: {
    fingerprint: 'usm-7e2d0c1a',
    source: 'siem',
    product: 'USM Anywhere',
    sourceId: '7e2d0c1a-5b7f-4c1e-9a43-2f6d8e9b0c11',
    title: 'Multiple password reset attempts',
    description: 'Delivery & Attack / Brute Force Authentication / Password reset',
    severity: 'LOW',
    sourceSeverity: 'low',
    type: 'Brute Force Authentication',
    kind: 'siem',
    accountId: undefined,
    accountName: undefined,
    region: undefined,
    resource: { kind: 'Host', id: 'dc01.corp.example' },
    observables: [
      { dataType: 'ip', data: '203.0.113.50', ioc: true, tags: ['src'] },
      { dataType: 'hostname', data: 'dc01.corp.example', ioc: false, tags: ['dst-host'] },
      { dataType: 'other', data: 'jsmith', ioc: false, tags: ['user-name', 'src'] },
    ],
    consoleUrl: 'https://acme.alienvault.cloud/#/alarms/7e2d0c1a-5b7f-4c1e-9a43-2f6d8e9b0c11',
    actor: { name: 'jsmith' },
  },
};

function render(overrides: AlertRecordOverrides = {}) {
  return alertMessage(makeAlertRecord(overrides), THEHIVE);
}

function buttons(message: ReturnType<typeof alertMessage>) {
  const actions = message.blocks.find((block) => block.type === 'actions');
  return actions && actions.type === 'actions' ? actions.elements : [];
}

describe('alertMessage', () => {
  it('renders an open IAM alert exactly', () => {
    expect(render()).toEqual({
      text: '[HIGH] `API ListBuckets was invoked from a Tor exit node` — `payments-prod` (`acme`)',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: '🔴 HIGH · API ListBuckets was invoked from a Tor exit node' },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Account*\n`111122223333` · `payments-prod`', verbatim: true },
            { type: 'mrkdwn', text: '*Customer*\n`acme`', verbatim: true },
            { type: 'mrkdwn', text: '*Region*\n`eu-west-1`', verbatim: true },
            { type: 'mrkdwn', text: '*Access key*\n`AKIAIOSFODNN7EXAMPLE` · `jdoe`', verbatim: true },
            { type: 'mrkdwn', text: '*Type*\n`UnauthorizedAccess:IAMUser/TorIPCaller`', verbatim: true },
            { type: 'mrkdwn', text: '*User*\n`jdoe` · `jdoe@example.com`', verbatim: true },
            {
              type: 'mrkdwn',
              text: '*Caller IP*\n`198.51.100.23` · `AS64496` · `Example Transit` · `Netherlands`',
              verbatim: true,
            },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'plain_text',
            text:
              'An API was invoked from IP address 198.51.100.23, which is a known Tor exit node. ' +
              'This can indicate unauthorized access to your AWS resources.',
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Observables* · 3\n• `198.51.100.23` ip\n• `AKIAIOSFODNN7EXAMPLE` access-key · context\n• `jdoe` user-name · context',
            verbatim: true,
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '`GuardDuty` · severity `8` · seen 12 times, last 2026-11-25 10:00 UTC · first 2026-11-24 08:00 UTC',
              verbatim: true,
            },
          ],
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'hivewire.create_case',
              text: { type: 'plain_text', text: 'Create Case' },
              style: 'primary',
              value: 'gd-4f1c2a9e7b3d5c60',
            },
            {
              type: 'button',
              action_id: 'hivewire.ignore',
              text: { type: 'plain_text', text: 'Ignore' },
              value: 'gd-4f1c2a9e7b3d5c60',
            },
            {
              type: 'button',
              action_id: 'hivewire.enrich',
              text: { type: 'plain_text', text: 'Enrich' },
              value: 'gd-4f1c2a9e7b3d5c60',
            },
            {
              type: 'button',
              action_id: 'hivewire.ask_user',
              text: { type: 'plain_text', text: 'Ask the user' },
              value: 'gd-4f1c2a9e7b3d5c60',
            },
            {
              type: 'button',
              action_id: 'hivewire.open_console',
              text: { type: 'plain_text', text: 'Open in AWS console' },
              url: 'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
            },
          ],
        },
      ],
      metadata: {
        event_type: 'hivewire_alert',
        event_payload: { fingerprint: 'gd-4f1c2a9e7b3d5c60', state: 'open' },
      },
    });
  });

  it('renders an escalated alert exactly: case status line, who escalated, link to TheHive, no action buttons', () => {
    const message = render(ESCALATED);
    expect(message.text).toBe(
      '[HIGH] `API ListBuckets was invoked from a Tor exit node` — `payments-prod` (`acme`) · Case #42',
    );
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '📁 *Case #42* · `InProgress` · assigned to `analyst@example.com`\nEscalated by <@U0ALICE> · 2026-11-25 10:02 UTC',
        verbatim: true,
      },
    });
    expect(buttons(message)).toEqual([
      {
        type: 'button',
        action_id: 'hivewire.open_case',
        text: { type: 'plain_text', text: 'Open in TheHive' },
        url: 'https://thehive.example.com/cases/~40964/details',
      },
      {
        type: 'button',
        action_id: 'hivewire.open_console',
        text: { type: 'plain_text', text: 'Open in AWS console' },
        url: 'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
      },
    ]);
    expect(message.metadata).toEqual({
      event_type: 'hivewire_alert',
      event_payload: {
        fingerprint: 'gd-4f1c2a9e7b3d5c60',
        caseId: '~40964',
        caseNumber: 42,
        state: 'escalated',
      },
    });
  });

  describe.each(Object.entries(KIND_FINDINGS))('the %s template', (kind, finding) => {
    it('shows its facts (snapshot)', () => {
      const message = alertMessage(makeAlertRecord({ finding }), THEHIVE);
      expect(limitViolations(message)).toEqual([]);
      expect(message).toMatchSnapshot(kind);
    });
  });

  describe.each(Object.entries(STATES))('in state "%s"', (state, overrides) => {
    it('renders the status and the buttons the state allows (snapshot)', () => {
      const message = render(overrides);
      expect(limitViolations(message)).toEqual([]);
      expect(message).toMatchSnapshot(state);
    });
  });

  it('shows who asked for the case while it is being created, with no buttons but the console link', () => {
    const message = render(STATES.escalating);
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '⏳ Creating case… requested by <@U0ALICE>', verbatim: true },
    });
    expect(buttons(message).map((button) => button.action_id)).toEqual(['hivewire.open_console']);
    expect(message.text).toMatch(/ · creating case$/);
  });

  it('shows who ignored the alert and why, escaped, with no Create Case or Ignore button', () => {
    const message = render({ ...STATES.ignored, ignoreReason: 'pentest <!here> *ok*' });
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '🙈 Ignored by <@U0BOB> on 2026-11-25 11:00 UTC: `pentest &lt;!here&gt; *ok*`',
        verbatim: true,
      },
    });
    expect(buttons(message).map((button) => button.action_id)).toEqual(['hivewire.open_console']);
  });

  it('shows a closed case’s resolution and summary', () => {
    const message = render(STATES['escalated, case closed']);
    expect(message.blocks.slice(1, 3)).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '✅ *Case #42* · closed as `TruePositive` · `WithImpact`\nEscalated by <@U0ALICE> · 2026-11-25 10:02 UTC',
          verbatim: true,
        },
      },
      {
        type: 'context',
        elements: [{ type: 'plain_text', text: 'Key rotated; the user had been phished.' }],
      },
    ]);
  });

  it('warns about the last failure, escaped', () => {
    const message = render(STATES['open after a failed escalation']);
    expect(message.blocks).toContainEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '⚠️ Last attempt failed: `TheHive answered HTTP 500: &lt;html&gt;*oops*&lt;/html&gt;`',
          verbatim: true,
        },
      ],
    });
    expect(buttons(message).map((button) => button.action_id)).toEqual([
      'hivewire.create_case',
      'hivewire.ignore',
      'hivewire.enrich',
      'hivewire.ask_user',
      'hivewire.open_console',
    ]);
  });

  it('mentions only well-formed Slack user ids', () => {
    const message = render({ ...STATES.escalating, escalatedBy: '<!channel>' });
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '⏳ Creating case… requested by `&lt;!channel&gt;`', verbatim: true },
    });
  });

  it('links the case only below the configured TheHive URL', () => {
    const elsewhere = render({
      ...ESCALATED,
      caseUrl: 'https://thehive.example.com.evil.example/cases/~1/details',
    });
    expect(buttons(elsewhere).map((button) => button.action_id)).toEqual(['hivewire.open_console']);
    const noBase = alertMessage(makeAlertRecord(ESCALATED));
    expect(buttons(noBase).map((button) => button.action_id)).toEqual([
      'hivewire.open_case',
      'hivewire.open_console',
    ]);
  });

  it.each([
    ['https://acme.alienvault.cloud/#/alarms/1', 'Open acme.alienvault.cloud'],
    ['https://console.amazonaws-us-gov.com/guardduty/home', 'Open in AWS console'],
    ['https://console.aws.amazon.com.evil.example/x', 'Open console.aws.amazon.com.evil.example'],
  ])('labels the console link for %s by its real host: %s', (consoleUrl, label) => {
    expect(buttons(render({ finding: { consoleUrl } })).at(-1)).toEqual({
      type: 'button',
      action_id: 'hivewire.open_console',
      text: { type: 'plain_text', text: label },
      url: consoleUrl,
    });
  });

  it.each([
    ['javascript:alert(1)'],
    ['https://console.aws.amazon.com@evil.example/'],
    ['https://example.com/a b'],
    ['https://example.com/<!channel>'],
    [`https://example.com/${'a'.repeat(3000)}`],
  ])('links no console URL that is not a plain web URL: %s', (consoleUrl) => {
    expect(buttons(render({ finding: { consoleUrl } })).map((button) => button.action_id)).toEqual([
      'hivewire.create_case',
      'hivewire.ignore',
      'hivewire.enrich',
      'hivewire.ask_user',
    ]);
  });

  it('links a compliance control’s remediation guide', () => {
    const message = alertMessage(makeAlertRecord({ finding: KIND_FINDINGS.compliance }), THEHIVE);
    expect(buttons(message).at(-1)).toEqual({
      type: 'button',
      action_id: 'hivewire.open_remediation',
      text: { type: 'plain_text', text: 'Remediation · docs.aws.amazon.com' },
      url: 'https://docs.aws.amazon.com/console/securityhub/EC2.2/remediation',
    });
  });

  it('keeps finding text out of mentions, links and formatting', () => {
    const message = render({
      finding: {
        title: '<!channel> *urgent*',
        customer: '<@U0EVE>',
        accountName: '<http://evil.example|payments-prod>',
        observables: [{ dataType: 'url', data: '<https://evil.example|click> `x` _y_ ~z~', ioc: true }],
      },
    });
    expect(message.text).toBe(
      '[HIGH] `&lt;!channel&gt; *urgent*` — `&lt;http://evil.example|payments-prod&gt;` (`&lt;@U0EVE&gt;`)',
    );
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 HIGH · <!channel> *urgent*' },
    });
    expect(textObjects(message).find((object) => object.text.startsWith('*Observables*'))?.text).toBe(
      '*Observables* · 1\n• `&lt;https://evil.example|click&gt; ˋxˋ _y_ ~z~` url',
    );
  });

  it('shows invisible and direction characters from the finding as code points, in every text', () => {
    const message = render({
      finding: {
        title: 'Download of invoice\u202Efdp.exe',
        description: 'User adm\u200Bin ran \u2066it\u2069\uFEFF',
        customer: 'acme\u200F',
        observables: [{ dataType: 'filename', data: 'invoice\u202Efdp.exe', ioc: true }],
      },
    });
    expect(message.text).toBe(
      '[HIGH] `Download of invoice&lt;U+202E&gt;fdp.exe` — `payments-prod` (`acme&lt;U+200F&gt;`)',
    );
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 HIGH · Download of invoice<U+202E>fdp.exe' },
    });
    const texts = textObjects(message).map((object) => object.text);
    expect(texts).toContain('User adm<U+200B>in ran <U+2066>it<U+2069><U+FEFF>');
    expect(texts.find((text) => text.startsWith('*Observables*'))).toBe(
      '*Observables* · 1\n• `invoice&lt;U+202E&gt;fdp.exe` filename',
    );
    expect(JSON.stringify(message)).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
  });

  it('lists indicators first, then unclassified observables, then context, and counts the rest', () => {
    const observables: Observable[] = [
      { dataType: 'ip', data: '10.0.0.1', ioc: false },
      { dataType: 'domain', data: 'unknown.example' },
      { dataType: 'ip', data: '198.51.100.1', ioc: true },
      ...Array.from({ length: 20 }, (_, i) => ({ dataType: 'ip', data: `192.0.2.${i}`, ioc: false })),
    ];
    const list = textObjects(render({ finding: { observables } })).find((object) =>
      object.text.startsWith('*Observables*'),
    );
    expect(list?.text.split('\n')).toEqual([
      '*Observables* · 23',
      '• `198.51.100.1` ip',
      '• `unknown.example` domain',
      '• `10.0.0.1` ip · context',
      ...Array.from({ length: 12 }, (_, i) => `• \`192.0.2.${i}\` ip · context`),
      '+8 more',
    ]);
  });

  it('shows an unusual data type as a literal', () => {
    const list = textObjects(
      render({ finding: { observables: [{ dataType: 'uri_path', data: '/api/v1/namespaces' }] } }),
    ).find((object) => object.text.startsWith('*Observables*'));
    expect(list?.text).toBe('*Observables* · 1\n• `/api/v1/namespaces` `uri_path`');
  });

  it('shows common facts only for a kind it has no template for', () => {
    const message = render({ finding: { kind: 'quantum' as FindingKind } });
    expect(message.blocks[1]).toMatchObject({ type: 'section' });
    const fields = (message.blocks[1] as { fields: { text: string }[] }).fields.map((field) => field.text);
    expect(fields).toEqual([
      '*Account*\n`111122223333` · `payments-prod`',
      '*Customer*\n`acme`',
      '*Region*\n`eu-west-1`',
      '*Access key*\n`AKIAIOSFODNN7EXAMPLE` · `jdoe`',
      '*Type*\n`UnauthorizedAccess:IAMUser/TorIPCaller`',
    ]);
  });

  it('offers no buttons for a fingerprint too long to round-trip through a click', () => {
    const fingerprint = 'f'.repeat(2001);
    const message = alertMessage(
      makeAlertRecord({ fingerprint, finding: { fingerprint, consoleUrl: undefined } }),
    );
    expect(buttons(message)).toEqual([]);
  });

  it('says "seen once" for a single occurrence and shows a date it cannot read as it came', () => {
    const message = render({ count: 1, firstSeen: 'yesterday <3', lastSeen: '2026-11-25T10:00:00Z' });
    const seen = textObjects(message).find((object) => object.text.startsWith('`GuardDuty`'));
    expect(seen?.text).toBe(
      '`GuardDuty` · severity `8` · seen once, last 2026-11-25 10:00 UTC · first `yesterday &lt;3`',
    );
    expect(formatTime('2026-11-25T10:00:59.999+02:00')).toBe('2026-11-25 08:00 UTC');
  });

  it('keeps a huge finding postable: within every Block Kit limit and the text budget', () => {
    const long = (seed: string, length: number) =>
      seed.repeat(Math.ceil(length / seed.length)).slice(0, length);
    const observables: Observable[] = Array.from({ length: 5000 }, (_, i) => ({
      dataType: 'url',
      data: `https://203.0.${i >> 8}.${i & 255}/${long('&<>x', 1500)}`,
      ioc: i % 2 === 0,
      tags: [`asn:${long('9', 2000)}`, 'remote'],
    }));
    for (const [kind, finding] of Object.entries(KIND_FINDINGS)) {
      const record = makeAlertRecord({
        ...STATES['escalated, case closed'],
        fingerprint: long('f', 2000),
        lastError: long('<error> ', 10_000),
        case: { status: long('S', 5000), stage: 'Closed', summary: long('summary & ', 100_000) },
        finding: {
          ...finding,
          fingerprint: long('f', 2000),
          title: long('Title 😀 ', 1000),
          description: long('D&<😀', 100 * 1024),
          type: long('T', 5000),
          product: long('P', 5000),
          sourceSeverity: long('9', 5000),
          customer: long('C', 5000),
          accountId: long('1', 5000),
          accountName: long('N', 5000),
          region: long('R', 5000),
          resource: { kind: long('Instance', 5000), id: long('i', 5000), name: long('n', 5000) },
          actor: { name: long('a', 5000), email: long('e', 5000) },
          observables,
        },
      });
      for (const state of ['open', 'escalated'] as AlertState[]) {
        const message = alertMessage({ ...record, state }, THEHIVE);
        expect({ kind, state, problems: limitViolations(message) }).toEqual({ kind, state, problems: [] });
        expect(blocksTextLength(message)).toBeLessThanOrEqual(10_000);
        const header = message.blocks[0] as { text: { text: string } };
        expect(header.text.text).toHaveLength(150);
        expect(header.text.text.endsWith('…')).toBe(true);
        const texts = textObjects(message).map((object) => object.text);
        expect(texts.some((text) => /^\*Observables\* · 5000\n[\s\S]*\n\+\d+ more$/.test(text))).toBe(true);
        expect(texts.some((text) => text.startsWith('D&<😀') && text.endsWith('…'))).toBe(true);
      }
    }
  });

  it('leaves no untrusted <, > or & active in any mrkdwn or fallback text, and keeps every limit (property)', () => {
    const special = fc.constantFrom(
      '<',
      '>',
      '&',
      '*',
      '_',
      '~',
      '`',
      '\n',
      '|',
      '@',
      '!',
      '#',
      '^',
      'a',
      ' ',
      '😀',
      'é',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ unit: special, maxLength: 120 }),
      fc.constantFrom(
        '<!channel>',
        '<@U123>',
        '<#C1>',
        '<http://x|y>',
        '<!subteam^S1>',
        '&amp;',
        '> quote',
        '',
      ),
    );
    const optional = fc.option(text, { nil: undefined });
    const observable = fc.record({
      dataType: text,
      data: text,
      ioc: fc.option(fc.boolean(), { nil: undefined }),
      tags: fc.array(
        fc.oneof(
          text,
          text.map((value) => `asn:${value}`),
          text.map((value) => `api:${value}`),
          fc.constantFrom('remote', 'source', 'destination', 'caller', 'remediation'),
        ),
        { maxLength: 4 },
      ),
    });
    const record = fc.record({
      title: text,
      description: text,
      type: text,
      product: text,
      sourceSeverity: text,
      customer: text,
      accountId: optional,
      accountName: optional,
      region: optional,
      resource: fc.option(fc.record({ kind: text, id: text, name: optional }), { nil: undefined }),
      observables: fc.array(observable, { maxLength: 6 }),
      actor: fc.option(fc.record({ name: text, email: optional }), { nil: undefined }),
      consoleUrl: fc.option(
        fc.oneof(
          text,
          text.map((value) => `https://x.example/${value}`),
        ),
        { nil: undefined },
      ),
      kind: fc.constantFrom<FindingKind>(
        'iam',
        'network',
        'data',
        'runtime',
        'kubernetes',
        'compliance',
        'siem',
      ),
      state: fc.constantFrom<AlertState>('open', 'escalating', 'escalated', 'ignored'),
      userId: fc.oneof(text, fc.constant('U0ALICE')),
      reason: optional,
      lastError: optional,
      caseId: optional,
      caseNumber: fc.option(fc.integer(), { nil: undefined }),
      caseUrl: fc.option(
        fc.oneof(
          text,
          text.map((value) => `https://thehive.example.com/${value}`),
        ),
        {
          nil: undefined,
        },
      ),
      caseSnapshot: fc.option(
        fc.record({
          status: text,
          stage: fc.constantFrom('New', 'InProgress', 'Closed'),
          assignee: optional,
          summary: optional,
          impactStatus: optional,
        }),
        { nil: undefined },
      ),
      dates: fc.array(text, { minLength: 3, maxLength: 3 }),
    });
    fc.assert(
      fc.property(record, (input) => {
        const {
          state,
          userId,
          reason,
          lastError,
          caseId,
          caseNumber,
          caseUrl,
          caseSnapshot,
          dates,
          ...finding
        } = input;
        const alert: AlertRecord = makeAlertRecord({
          finding,
          state,
          escalatedBy: userId,
          escalatedAt: dates[0],
          ignoredBy: userId,
          ignoredAt: dates[0],
          ignoreReason: reason,
          lastError,
          caseId,
          caseNumber,
          caseUrl,
          case: caseSnapshot,
          firstSeen: dates[1],
          lastSeen: dates[2],
        });
        const message = alertMessage(alert, THEHIVE);
        for (const object of textObjects(message)) {
          if (object.type === 'plain_text') continue;
          expect(mrkdwnProblem(object.text)).toBeUndefined();
        }
        expect(limitViolations(message)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  describe('the analyst buttons', () => {
    const ISOLATE: ResponseAction = {
      id: 'isolate',
      label: 'Isolate instance',
      findingTypes: ['UnauthorizedAccess:IAMUser/*'],
      ssmDocument: 'AWS-IsolateInstance',
    };

    it('offers Enrich only when the finding has indicators', () => {
      const noIndicators = render({
        finding: { observables: [{ dataType: 'ip', data: '10.0.1.15', ioc: false }] },
      });
      expect(buttons(noIndicators).map((button) => button.action_id)).not.toContain('hivewire.enrich');
      expect(buttons(render()).find((button) => button.action_id === 'hivewire.enrich')).toEqual({
        type: 'button',
        action_id: 'hivewire.enrich',
        text: { type: 'plain_text', text: 'Enrich' },
        value: 'gd-4f1c2a9e7b3d5c60',
      });
    });

    it('offers Ask the user only when the finding names a person', () => {
      expect(buttons(render({ finding: { actor: undefined } })).map((button) => button.action_id)).toEqual([
        'hivewire.create_case',
        'hivewire.ignore',
        'hivewire.enrich',
        'hivewire.open_console',
      ]);
    });

    it('offers neither once the alert is ignored or escalated', () => {
      for (const state of ['ignored', 'escalated', 'escalating'] as const) {
        const ids = buttons(render(STATES[state])).map((button) => button.action_id);
        expect(ids).not.toContain('hivewire.enrich');
        expect(ids).not.toContain('hivewire.ask_user');
      }
    });

    it('renders the matched response actions in their own block, each behind a confirmation', () => {
      const message = alertMessage(makeAlertRecord(), { ...THEHIVE, responseActions: [ISOLATE] });
      expect(message.blocks.at(-1)).toEqual({
        type: 'actions',
        block_id: 'hivewire.response_actions',
        elements: [
          {
            type: 'button',
            action_id: 'hivewire.response_action.isolate',
            text: { type: 'plain_text', text: 'Isolate instance' },
            value: 'gd-4f1c2a9e7b3d5c60',
            style: 'danger',
            confirm: {
              title: { type: 'plain_text', text: 'Run Isolate instance?' },
              text: {
                type: 'mrkdwn',
                text: 'This runs the SSM Automation runbook `AWS-IsolateInstance` on this finding. It is recorded in the audit trail.',
              },
              confirm: { type: 'plain_text', text: 'Run' },
              deny: { type: 'plain_text', text: 'Cancel' },
              style: 'danger',
            },
          },
        ],
      });
      expect(limitViolations(message)).toEqual([]);
    });

    it('keeps the response actions on an escalated alert, and drops them while ignored or being escalated', () => {
      const options = { ...THEHIVE, responseActions: [ISOLATE] };
      const blockIds = (overrides: AlertRecordOverrides) =>
        alertMessage(makeAlertRecord(overrides), options).blocks.map((block) => block.block_id);
      expect(blockIds(STATES.escalated!)).toContain('hivewire.response_actions');
      expect(blockIds(STATES.ignored!)).not.toContain('hivewire.response_actions');
      expect(blockIds(STATES.escalating!)).not.toContain('hivewire.response_actions');
      expect(blockIds({})).toContain('hivewire.response_actions');
      expect(alertMessage(makeAlertRecord(), THEHIVE).blocks.map((block) => block.block_id)).not.toContain(
        'hivewire.response_actions',
      );
    });

    it('stays within Slack limits with many long-labelled response actions', () => {
      const many: ResponseAction[] = Array.from({ length: 30 }, (_, index) => ({
        ...ISOLATE,
        id: `action-${index}`,
        label: `${'L'.repeat(70)}-${index}`.slice(0, 75),
      }));
      const message = alertMessage(makeAlertRecord(), { ...THEHIVE, responseActions: many });
      const block = message.blocks.at(-1);
      expect(block?.type === 'actions' ? block.elements.length : 0).toBe(25);
      expect(limitViolations(message)).toEqual([]);
    });
  });
});
