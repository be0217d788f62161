import nock from 'nock';
import { IGNORE, IGNORE_MODAL } from '../../../blocks/actions';
import {
  IGNORE_NOTE_BLOCK,
  IGNORE_NOTE_INPUT,
  IGNORE_REASON_BLOCK,
  IGNORE_REASON_INPUT,
} from '../../../blocks/analyst/actions';
import { ingestFinding } from '../../../src/alerts/ingest';
import { makeAlertRecord, makeFinding } from '../../helpers/alerts';
import {
  buttonClick,
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  TEAM,
  type AnalystHarness,
} from '../../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const SECURITY_HUB_REF = {
  id: 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc/finding/90b2e3c4',
  productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
};

let harness: AnalystHarness;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  harness = await startAnalystHarness();
  mockAuthTest();
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

function submission(fingerprint: string, reason: string | undefined, note?: string) {
  return {
    type: 'view_submission',
    team: TEAM,
    user: { id: 'U0ANALYST', username: 'alice', name: 'alice', team_id: TEAM.id },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-token',
    trigger_id: '123.456.trigger',
    view: {
      id: 'V0MODAL',
      team_id: TEAM.id,
      type: 'modal',
      callback_id: IGNORE_MODAL,
      private_metadata: fingerprint,
      title: { type: 'plain_text', text: 'Ignore alert' },
      blocks: [],
      hash: 'h',
      app_id: 'A0HIVEWIRE',
      bot_id: 'B0HIVEWIRE',
      root_view_id: 'V0MODAL',
      state: {
        values: {
          [IGNORE_REASON_BLOCK]: {
            [IGNORE_REASON_INPUT]: {
              type: 'static_select',
              selected_option: reason ? { text: { type: 'plain_text', text: reason }, value: reason } : null,
            },
          },
          [IGNORE_NOTE_BLOCK]: { [IGNORE_NOTE_INPUT]: { type: 'plain_text_input', value: note ?? null } },
        },
      },
    },
  };
}

describe('Ignore button', () => {
  it('opens the reason modal with the click trigger and the fingerprint as private_metadata', async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    let form: Record<string, string> = {};
    const opened = nock('https://slack.com')
      .post('/api/views.open', (body) => {
        form = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, view: { id: 'V0MODAL' } });

    const response = await harness.interact(buttonClick({ actionId: IGNORE, value: alert.fingerprint }));

    expect(response.status).toBe(200);
    expect(opened.isDone()).toBe(true);
    expect(form.trigger_id).toBe('123.456.trigger');
    const view = JSON.parse(form.view ?? '{}');
    expect(view.callback_id).toBe(IGNORE_MODAL);
    expect(view.private_metadata).toBe(alert.fingerprint);
    expect(view.blocks[1].element.options.map((o: { value: string }) => o.value)).toEqual([
      'false-positive',
      'expected-activity',
      'duplicate',
      'accepted-risk',
    ]);
  });

  it('answers privately that an escalated alert cannot be ignored, and opens no modal', async () => {
    const alert = makeAlertRecord({ state: 'escalated', caseId: '~41', caseNumber: 42 });
    await harness.seedAlert(alert);
    let form: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postEphemeral', (body) => {
        form = slackForm(body);
        return true;
      })
      .reply(200, { ok: true });

    const response = await harness.interact(buttonClick({ actionId: IGNORE, value: alert.fingerprint }));

    expect(response.status).toBe(200);
    expect(form.channel).toBe('C0SECOPS');
    expect(form.user).toBe('U0ANALYST');
    expect(form.text).toBe(
      'This alert is escalated (Case #42): it cannot be ignored. Close the case in TheHive instead.',
    );
    expect(nock.pendingMocks()).toEqual([]);
  });
  it('says privately when Slack refuses to open the modal (an expired trigger)', async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    nock('https://slack.com').post('/api/views.open').reply(200, { ok: false, error: 'expired_trigger_id' });
    let form: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postEphemeral', (body) => {
        form = slackForm(body);
        return true;
      })
      .reply(200, { ok: true });
    const response = await harness.interact(buttonClick({ actionId: IGNORE, value: alert.fingerprint }));
    expect(response.status).toBe(200);
    expect(form.text).toBe("Couldn't open the Ignore form in time: please click Ignore again.");
  });
});

describe('ignore modal submission', () => {
  it('ignores the alert, re-renders it, threads the reason and suppresses the Security Hub finding', async () => {
    const alert = makeAlertRecord({ finding: { securityHub: SECURITY_HUB_REF } });
    await harness.seedAlert(alert);
    const updates: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.update', (body) => {
        updates.push(slackForm(body));
        return true;
      })
      .times(2)
      .reply(200, { ok: true });

    const response = await harness.interact(
      submission(alert.fingerprint, 'false-positive', 'Pentest by Example Security, ticket SEC-12'),
    );

    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const stored = await harness.deps.store.getAlert(alert.fingerprint);
    expect(stored).toMatchObject({
      state: 'ignored',
      ignoredBy: 'U0ANALYST',
      ignoredAt: harness.clock.now.toISOString(),
      ignoreReason: 'False positive — Pentest by Example Security, ticket SEC-12',
    });
    expect(updates).toHaveLength(1);
    const rendered = JSON.parse(updates[0]?.blocks ?? '[]') as { type: string; text?: { text: string } }[];
    expect(rendered[1]?.text?.text).toContain(
      '🙈 Ignored by <@U0ANALYST> on ' /* the alert's own status line */,
    );
    expect(rendered.some((block) => block.type === 'actions' && JSON.stringify(block).includes(IGNORE))).toBe(
      false,
    );
    expect(harness.jobs).toEqual([{ kind: 'ignore-followup', fingerprint: alert.fingerprint }]);
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((event) => [event.action, event.actor, event.details])).toEqual([
      [
        'ignored',
        { kind: 'slack', id: 'U0ANALYST' },
        {
          reason: 'false-positive',
          reasonLabel: 'False positive',
          note: 'Pentest by Example Security, ticket SEC-12',
          securityHub: 'SUPPRESSED',
        },
      ],
    ]);

    let reply: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        reply = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, ts: '1764064999.000300', channel: 'C0SECOPS' });
    let batchUpdate: unknown;
    nock('https://securityhub.eu-west-1.amazonaws.com')
      .patch('/findings/batchupdate', (body) => {
        batchUpdate = body;
        return true;
      })
      .reply(200, {
        ProcessedFindings: [{ Id: SECURITY_HUB_REF.id, ProductArn: SECURITY_HUB_REF.productArn }],
        UnprocessedFindings: [],
      });

    await harness.runJobs();

    expect(reply.thread_ts).toBe(alert.ts);
    expect(reply.text).toBe(
      '🙈 Ignored by <@U0ANALYST>: `False positive — Pentest by Example Security, ticket SEC-12`',
    );
    expect(batchUpdate).toEqual({
      FindingIdentifiers: [{ Id: SECURITY_HUB_REF.id, ProductArn: SECURITY_HUB_REF.productArn }],
      Workflow: { Status: 'SUPPRESSED' },
      Note: {
        Text: 'Ignored in Slack by alice (U0ANALYST): False positive — Pentest by Example Security, ticket SEC-12',
        UpdatedBy: expect.any(String),
      },
    });
    expect(updates).toHaveLength(2);
    const after = await harness.deps.store.getAlert(alert.fingerprint);
    expect(after?.pendingReplies).toEqual([]);
    expect(after?.pendingWorkflow).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('asks for a reason when none was chosen', async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    const response = await harness.interact(submission(alert.fingerprint, undefined));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      response_action: 'errors',
      errors: { [IGNORE_REASON_BLOCK]: 'Choose a reason.' },
    });
    expect((await harness.deps.store.getAlert(alert.fingerprint))?.state).toBe('open');
  });

  it('refuses in the modal when the alert was escalated while it was open', async () => {
    const alert = makeAlertRecord({ state: 'escalated', caseId: '~41', caseNumber: 42 });
    await harness.seedAlert(alert);
    const response = await harness.interact(submission(alert.fingerprint, 'duplicate'));
    expect(JSON.parse(response.body)).toEqual({
      response_action: 'errors',
      errors: {
        [IGNORE_REASON_BLOCK]:
          'This alert was escalated meanwhile: it cannot be ignored. Close its case in TheHive instead.',
      },
    });
    expect((await harness.deps.store.getAlert(alert.fingerprint))?.state).toBe('escalated');
    expect(harness.jobs).toEqual([]);
  });

  it('opens an ignored alert again when its severity rises, and says so in the thread', async () => {
    const alert = makeAlertRecord({ severity: 'MEDIUM', finding: { severity: 'MEDIUM' } });
    await harness.seedAlert(alert);
    nock('https://slack.com').post('/api/chat.update').times(3).reply(200, { ok: true });
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: true, ts: '1.1' });
    await harness.interact(submission(alert.fingerprint, 'expected-activity'));
    await harness.runJobs();
    expect((await harness.deps.store.getAlert(alert.fingerprint))?.state).toBe('ignored');

    let reply: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        reply = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, ts: '1.2' });
    const { raw: _raw, ...finding } = makeFinding({
      severity: 'HIGH',
      count: alert.count + 1,
      updatedAt: '2026-11-25T11:00:00.000Z',
    });
    const result = await ingestFinding({ ...finding, raw: {} }, harness.deps);

    expect(result.outcome).toBe('updated');
    const reopened = await harness.deps.store.getAlert(alert.fingerprint);
    expect(reopened).toMatchObject({ state: 'open', severity: 'HIGH' });
    expect(reopened?.ignoredBy).toBeUndefined();
    expect(reply.text).toBe('⬆️ Severity rose MEDIUM → HIGH. It was ignored and is open again.');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
