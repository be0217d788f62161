import nock from 'nock';
import { responseActionId } from '../../../blocks/analyst/actions';
import { responseActionsBlock } from '../../../blocks/analyst/response-actions';
import { responseActionsFor } from '../../../src/response-actions/response-actions';
import { makeAlertRecord } from '../../helpers/alerts';
import {
  buttonClick,
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  type AnalystHarness,
} from '../../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const ISOLATE = 'arn:aws:lambda:eu-west-1:111122223333:function:hivewire-isolate';
const CONFIG = `
slack:
  admins: [U0ALICE]
responseActions:
  - id: isolate
    label: Isolate instance
    findingTypes: ['UnauthorizedAccess:IAMUser/*']
    lambda: ${ISOLATE}
    allowedGroups: [S0RESPONDERS]
  - id: disable-key
    label: Disable access key
    findingTypes: ['UnauthorizedAccess:IAMUser/*']
    ssmDocument: Hivewire-DisableAccessKey
  - id: block-port
    label: Block port
    findingTypes: ['Recon:*']
    ssmDocument: Hivewire-BlockPort
`;

let harness: AnalystHarness;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  harness = await startAnalystHarness(CONFIG);
  mockAuthTest();
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

function ephemerals(): Record<string, string>[] {
  const into: Record<string, string>[] = [];
  nock('https://slack.com')
    .post('/api/chat.postEphemeral', (body) => {
      into.push(slackForm(body));
      return true;
    })
    .reply(200, { ok: true });
  return into;
}

function threadReplies(): Record<string, string>[] {
  const into: Record<string, string>[] = [];
  nock('https://slack.com')
    .post('/api/chat.postMessage', (body) => {
      into.push(slackForm(body));
      return true;
    })
    .reply(200, { ok: true, ts: '1764065100.000100' });
  return into;
}

describe('response-action buttons', () => {
  it('offers the actions configured for the finding type, each behind a confirmation dialog', () => {
    const alert = makeAlertRecord();
    const actions = responseActionsFor(alert.finding, harness.config);
    expect(actions.map((action) => action.id)).toEqual(['isolate', 'disable-key']);
    const block = responseActionsBlock(alert.fingerprint, actions);
    expect(block?.elements[0]).toEqual({
      type: 'button',
      action_id: 'hivewire.response_action.isolate',
      text: { type: 'plain_text', text: 'Isolate instance' },
      value: alert.fingerprint,
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'Run Isolate instance?' },
        text: {
          type: 'mrkdwn',
          text: `This runs the Lambda function \`${ISOLATE}\` on this finding. It is recorded in the audit trail.`,
        },
        confirm: { type: 'plain_text', text: 'Run' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    });
  });

  it('runs a Lambda action for a member of its allowed group, threads the result and audits it', async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    nock('https://slack.com')
      .post('/api/usergroups.users.list', (body) => slackForm(body).usergroup === 'S0RESPONDERS')
      .reply(200, { ok: true, users: ['U0BOB'] });
    const answered = ephemerals();

    const response = await harness.interact(
      buttonClick({ actionId: responseActionId('isolate'), value: alert.fingerprint, userId: 'U0BOB' }),
    );

    expect(response.status).toBe(200);
    expect(answered[0]?.text).toBe(
      '▶️ Running *`Isolate instance`*… the result will be threaded under the alert.',
    );
    const requestedAt = harness.clock.now.toISOString();
    expect(harness.jobs).toEqual([
      {
        kind: 'response-action',
        fingerprint: alert.fingerprint,
        actionId: 'isolate',
        userId: 'U0BOB',
        userName: 'analyst',
        requestedAt,
      },
    ]);

    let payload: Record<string, unknown> = {};
    nock('https://lambda.eu-west-1.amazonaws.com')
      .post(`/2015-03-31/functions/${encodeURIComponent(ISOLATE)}/invocations`, (body) => {
        payload = body;
        return true;
      })
      .reply(200, { isolated: 'i-0abc', securityGroup: 'sg-quarantine' });
    const replies = threadReplies();
    const job = harness.jobs[0];

    await harness.runJobs();

    expect(payload).toMatchObject({
      source: 'hivewire',
      action: { id: 'isolate', label: 'Isolate instance' },
      requestedBy: 'U0BOB',
      requestedAt,
      finding: {
        fingerprint: alert.fingerprint,
        type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
        accountId: '111122223333',
        region: 'eu-west-1',
        resource: { kind: 'AccessKey', id: 'AKIAIOSFODNN7EXAMPLE', name: 'jdoe' },
        observables: [
          { dataType: 'ip', data: '198.51.100.23', ioc: true },
          { dataType: 'other', data: 'AKIAIOSFODNN7EXAMPLE', ioc: false },
          { dataType: 'other', data: 'jdoe', ioc: false },
        ],
      },
    });
    expect(replies[0]).toMatchObject({
      channel: 'C0SECOPS',
      thread_ts: alert.ts,
      text: '`Isolate instance`: succeeded',
    });
    expect(JSON.parse(replies[0]?.blocks ?? '[]')[0].text.text).toBe(
      '✅ *`Isolate instance`* (run by <@U0BOB>) succeeded: `{"isolated":"i-0abc","securityGroup":"sg-quarantine"}`',
    );
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['response-action-requested', { kind: 'slack', id: 'U0BOB' }],
      ['response-action-succeeded', { kind: 'slack', id: 'U0BOB' }],
    ]);

    // A redelivered job neither runs the action again nor threads twice.
    harness.jobs.push(job as never);
    await harness.runJobs();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuses a user outside the allow-list with a clear private message, queues nothing and audits the attempt', async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    nock('https://slack.com')
      .post('/api/usergroups.users.list')
      .reply(200, { ok: true, users: ['U0BOB'] });
    const answered = ephemerals();

    await harness.interact(
      buttonClick({ actionId: responseActionId('isolate'), value: alert.fingerprint, userId: 'U0ALICE' }),
    );

    expect(answered[0]?.text).toBe(
      '⛔ You are not allowed to run *`Isolate instance`*. Only the users and groups on its allow-list (or, without one, the Hivewire admins in the config file) may run it.',
    );
    expect(harness.jobs).toEqual([]);
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      [
        'response-action-refused',
        { kind: 'slack', id: 'U0ALICE' },
        { actionId: 'isolate', label: 'Isolate instance' },
      ],
    ]);
  });

  it("lets the admins run an action without its own allow-list: an SSM runbook in the finding's region", async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    ephemerals();
    await harness.interact(
      buttonClick({ actionId: responseActionId('disable-key'), value: alert.fingerprint, userId: 'U0ALICE' }),
    );
    let started: { DocumentName?: string; Parameters?: { Finding?: string[] } } = {};
    nock('https://ssm.eu-west-1.amazonaws.com')
      .post('/', (body) => {
        started = typeof body === 'string' ? JSON.parse(body) : body;
        return true;
      })
      .matchHeader('x-amz-target', 'AmazonSSM.StartAutomationExecution')
      .reply(200, { AutomationExecutionId: 'exec-42' });
    const replies = threadReplies();

    await harness.runJobs();

    expect(started.DocumentName).toBe('Hivewire-DisableAccessKey');
    expect(JSON.parse(started.Parameters?.Finding?.[0] ?? '{}')).toMatchObject({
      fingerprint: alert.fingerprint,
      resource: { kind: 'AccessKey', id: 'AKIAIOSFODNN7EXAMPLE' },
    });
    expect(JSON.parse(replies[0]?.blocks ?? '[]')[0].text.text).toBe(
      '✅ *`Disable access key`* (run by <@U0ALICE>) succeeded: `Automation execution exec-42 started` · ' +
        '<https://eu-west-1.console.aws.amazon.com/systems-manager/automation/execution/exec-42?region=eu-west-1|execution>',
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("threads the function's error when the action fails, and does not retry it", async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    nock('https://slack.com')
      .post('/api/usergroups.users.list')
      .reply(200, { ok: true, users: ['U0BOB'] });
    ephemerals();
    await harness.interact(
      buttonClick({ actionId: responseActionId('isolate'), value: alert.fingerprint, userId: 'U0BOB' }),
    );
    nock('https://lambda.eu-west-1.amazonaws.com')
      .post(/invocations$/)
      .reply(
        200,
        { errorType: 'UnauthorizedOperation', errorMessage: 'not allowed to modify i-0abc' },
        { 'X-Amz-Function-Error': 'Unhandled' },
      );
    const replies = threadReplies();

    await harness.runJobs();

    expect(JSON.parse(replies[0]?.blocks ?? '[]')[0].text.text).toBe(
      `❌ *\`Isolate instance\`* (run by <@U0BOB>) failed: \`Lambda ${ISOLATE} failed: UnauthorizedOperation: not allowed to modify i-0abc\``,
    );
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((e) => e.action)).toEqual(['response-action-requested', 'response-action-failed']);
    await expect(harness.deps.store.listDeadLetters(5)).resolves.toEqual([]);
  });

  it("says privately when the action does not apply to the finding's type", async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    const answered = ephemerals();
    await harness.interact(
      buttonClick({ actionId: responseActionId('block-port'), value: alert.fingerprint, userId: 'U0ALICE' }),
    );
    expect(answered[0]?.text).toBe("This response action does not apply to this finding's type.");
    expect(harness.jobs).toEqual([]);
  });
});
