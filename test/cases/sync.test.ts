/** Case changes threaded back, through `POST /thehive/webhook`, the in-process queue and the worker. */
import nock from 'nock';
import { WebexClient } from '../../clients/webex/client';
import { WebexChat } from '../../src/chat/webex/adapter';
import {
  ALERT_TS,
  CASE_ID,
  caseEvent,
  outputCase,
  SECURITY_HUB_REF,
  startSyncHarness,
  type SlackCall,
  type SyncHarness,
} from '../helpers/sync';

let h: SyncHarness;

beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(async () => {
  await h.close();
  nock.cleanAll();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

function sectionText(call: SlackCall, index = 0): string {
  const blocks = call.args.blocks as { type: string; text?: { text: string } }[];
  return blocks.filter((block) => block.type === 'section')[index]?.text?.text ?? '';
}

/** The root's case status line (the section under the finding that names the case). */
function statusLine(call: SlackCall): string {
  const blocks = call.args.blocks as { type: string; text?: { text: string } }[];
  const line = blocks.find(
    (block) => block.type === 'section' && /\*Case #42\*/.test(block.text?.text ?? ''),
  );
  return line?.text?.text.split('\n')[0] ?? '';
}

async function deliver(event: Record<string, unknown>): Promise<void> {
  const response = await h.webhook(event);
  expect(response.status).toBe(202);
  await h.drain();
}

test('status New → InProgress: one thread reply naming the actor and the root re-rendered', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ details: { status: 'InProgress', stage: 'InProgress' } }));

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  const [reply, update] = h.slackCalls as [SlackCall, SlackCall];
  expect(reply.args).toMatchObject({ channel: 'C0SECOPS', thread_ts: ALERT_TS });
  expect(reply.args.text).toBe('Case #42: 🔄 Status `New` → `InProgress` by `analyst@example.com`');
  expect(sectionText(reply)).toBe(
    `<https://thehive.example.test/cases/${CASE_ID}/details|Case #42> updated in TheHive by \`analyst@example.com\`\n🔄 Status \`New\` → \`InProgress\``,
  );
  expect(update.args).toMatchObject({ channel: 'C0SECOPS', ts: ALERT_TS });
  expect(statusLine(update)).toBe('📁 *Case #42* · `InProgress` · unassigned');
});

describe('assignee', () => {
  test('set to a person Slack knows by e-mail: the reply mentions them; the root names the login', async () => {
    await h.seedAlert();
    h.slackUsers['alice@example.com'] = 'U0ALICE';
    await deliver(caseEvent({ details: { assignee: 'alice@example.com' } }));

    expect(h.slackCalls.map((call) => call.method)).toEqual([
      'users.lookupByEmail',
      'chat.postMessage',
      'chat.update',
    ]);
    expect(h.slackCalls[0]!.args).toMatchObject({ email: 'alice@example.com' });
    expect(h.slackCalls[1]!.args.text).toBe('Case #42: 👤 Assigned to <@U0ALICE> by `analyst@example.com`');
    expect(statusLine(h.slackCalls[2]!)).toBe('📁 *Case #42* · `New` · assigned to `alice@example.com`');
  });

  test('set to a login Slack does not know (users_not_found): the reply names the login as text', async () => {
    await h.seedAlert();
    await deliver(caseEvent({ details: { assignee: 'bob@example.com' } }));

    expect(h.slackCalls.map((call) => call.method)).toEqual([
      'users.lookupByEmail',
      'chat.postMessage',
      'chat.update',
    ]);
    expect(h.slackCalls[1]!.args.text).toBe(
      'Case #42: 👤 Assigned to `bob@example.com` by `analyst@example.com`',
    );
  });

  test('a second change to the same person makes no second lookup (cached)', async () => {
    await h.seedAlert();
    h.slackUsers['alice@example.com'] = 'U0ALICE';
    await deliver(caseEvent({ details: { assignee: 'alice@example.com' }, at: 1795582900000 }));
    await deliver(caseEvent({ details: { assignee: 'bob@example.com' }, at: 1795583000000 }));
    await deliver(caseEvent({ details: { assignee: 'alice@example.com' }, at: 1795583100000 }));

    expect(
      h.slackCalls.filter((call) => call.method === 'users.lookupByEmail').map((c) => c.args.email),
    ).toEqual(['alice@example.com', 'bob@example.com']);
    const replies = h.slackCalls.filter((call) => call.method === 'chat.postMessage').map((c) => c.args.text);
    expect(replies).toEqual([
      'Case #42: 👤 Assigned to <@U0ALICE> by `analyst@example.com`',
      'Case #42: 👤 Assigned to `bob@example.com` (was `alice@example.com`) by `analyst@example.com`',
      'Case #42: 👤 Assigned to <@U0ALICE> (was `bob@example.com`) by `analyst@example.com`',
    ]);
  });

  test('Slack failing the look-up: the reply names the login, and the next change asks Slack again', async () => {
    await h.seedAlert();
    h.slackUsers['alice@example.com'] = 'U0ALICE';
    h.slackAnswers['users.lookupByEmail'] = [{ status: 500, body: { ok: false, error: 'internal_error' } }];
    await deliver(caseEvent({ details: { assignee: 'alice@example.com' }, at: 1795582900000 }));
    await deliver(caseEvent({ details: { assignee: 'bob@example.com' }, at: 1795583000000 }));
    await deliver(caseEvent({ details: { assignee: 'alice@example.com' }, at: 1795583100000 }));

    expect(
      h.slackCalls.filter((call) => call.method === 'users.lookupByEmail').map((c) => c.args.email),
    ).toEqual(['alice@example.com', 'bob@example.com', 'alice@example.com']);
    const replies = h.slackCalls.filter((call) => call.method === 'chat.postMessage').map((c) => c.args.text);
    expect(replies).toEqual([
      'Case #42: 👤 Assigned to `alice@example.com` by `analyst@example.com`',
      'Case #42: 👤 Assigned to `bob@example.com` (was `alice@example.com`) by `analyst@example.com`',
      'Case #42: 👤 Assigned to <@U0ALICE> (was `bob@example.com`) by `analyst@example.com`',
    ]);
  });
});

test('severity 2 → 3', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ details: { severity: 3 } }));

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(h.slackCalls[0]!.args.text).toBe('Case #42: 🎚️ Severity MEDIUM → HIGH by `analyst@example.com`');
});

test('TLP and PAP changed in one update: one reply with both lines', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ details: { tlp: 3, pap: 1 } }));

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(sectionText(h.slackCalls[0]!).split('\n').slice(1)).toEqual([
    '🎚️ TLP AMBER → AMBER+STRICT',
    '🎚️ PAP AMBER → GREEN',
  ]);
});

test('title changed', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ details: { title: 'Tor access by jdoe confirmed' } }));

  expect(h.slackCalls[0]!.args.text).toBe(
    'Case #42: ✏️ Title changed to `Tor access by jdoe confirmed` by `analyst@example.com`',
  );
});

test('tags added and removed', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ details: { tags: ['hivewire', 'tor', 'confirmed'] } }));

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(sectionText(h.slackCalls[0]!).split('\n')[1]).toBe('🏷️ Tags +`tor` +`confirmed` −`guardduty`');
});

describe('closed', () => {
  test('as TruePositive with a summary: the reply and root show it; Security Hub RESOLVED with a note', async () => {
    await h.seedAlert();
    await deliver(
      caseEvent({
        details: {
          status: 'TruePositive',
          stage: 'Closed',
          summary: 'Key rotated, user re-enrolled',
          impactStatus: 'WithImpact',
        },
      }),
    );

    expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
    const [reply, update] = h.slackCalls as [SlackCall, SlackCall];
    expect(reply.args.text).toBe('Case #42: ✅ Closed as `TruePositive` by `analyst@example.com`');
    expect((reply.args.blocks as unknown[])[1]).toEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: 'Key rotated, user re-enrolled' }],
    });
    expect(statusLine(update)).toBe('✅ *Case #42* · closed as `TruePositive` · `WithImpact`');
    expect(JSON.stringify(update.args.blocks)).toContain('Key rotated, user re-enrolled');
    expect(h.securityHubCalls).toEqual([
      {
        method: 'PATCH',
        path: '/findings/batchupdate',
        body: {
          FindingIdentifiers: [{ Id: SECURITY_HUB_REF.id, ProductArn: SECURITY_HUB_REF.productArn }],
          Workflow: { Status: 'RESOLVED' },
          Note: {
            Text: 'TheHive case #42 closed as TruePositive: Key rotated, user re-enrolled',
            UpdatedBy: 'hivewire',
          },
        },
      },
    ]);
  });

  test.each(['FalsePositive', 'Duplicated'])('as %s: Security Hub SUPPRESSED', async (status) => {
    await h.seedAlert();
    await deliver(caseEvent({ details: { status, stage: 'Closed' } }));

    expect(h.slackCalls[0]!.args.text).toBe(
      `Case #42: ✅ Closed as \`${status}\` by \`analyst@example.com\``,
    );
    expect(statusLine(h.slackCalls[1]!)).toBe(`✅ *Case #42* · closed as \`${status}\``);
    expect(
      h.securityHubCalls
        .map((call) => call.body as { Workflow: unknown; Note: unknown })
        .map((b) => [b.Workflow, b.Note]),
    ).toEqual([
      [{ Status: 'SUPPRESSED' }, { Text: `TheHive case #42 closed as ${status}`, UpdatedBy: 'hivewire' }],
    ]);
  });

  test('a finding without a Security Hub reference: nothing sent to Security Hub', async () => {
    await h.seedAlert({ finding: { securityHub: undefined } });
    await deliver(caseEvent({ details: { status: 'TruePositive', stage: 'Closed' } }));

    expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
    expect(h.securityHubCalls).toEqual([]);
  });
});

test('case deleted (action delete): reply and root say so', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ action: 'delete', details: {}, object: {} }));

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(h.slackCalls[0]!.args).toMatchObject({
    thread_ts: ALERT_TS,
    text: 'Case #42: 🗑️ Deleted in TheHive by `analyst@example.com`',
  });
  expect(statusLine(h.slackCalls[1]!)).toBe('🗑️ *Case #42* was deleted in TheHive');
});

test('case merged (action merge): reply and root say so', async () => {
  await h.seedAlert();
  await deliver(caseEvent({ action: 'merge', details: { into: '~50000' }, object: {} }));

  expect(h.slackCalls[0]!.args.text).toBe(
    'Case #42: 🔀 Merged into another case in TheHive by `analyst@example.com`',
  );
  expect(statusLine(h.slackCalls[1]!)).toBe('🔀 *Case #42* was merged into another case in TheHive');
});

describe('nothing to say: answered, no Slack call', () => {
  test.each([
    [
      'a case Hivewire did not create',
      caseEvent({ objectId: '~77', object: outputCase({ _id: '~77', number: 7, status: 'InProgress' }) }),
      202,
    ],
    [
      'a Task',
      caseEvent({ objectType: 'Task', objectId: '~555', object: { _id: '~555', title: 'Rotate key' } }),
      200,
    ],
    [
      'an Observable',
      caseEvent({ objectType: 'Observable', objectId: '~556', object: { _id: '~556' } }),
      200,
    ],
    ['an Alert', caseEvent({ objectType: 'Alert', objectId: '~557', object: { _id: '~557' } }), 200],
    [
      'a derived event (mainAction false)',
      caseEvent({ details: { status: 'InProgress' }, extra: { mainAction: false } }),
      200,
    ],
    [
      'a TheHive 4 (v0) body',
      {
        operation: 'Update',
        objectType: 'case',
        objectId: CASE_ID,
        details: { status: 'Resolved' },
        object: { id: CASE_ID },
      },
      200,
    ],
    [
      'an update that changes nothing Hivewire shows',
      caseEvent({ details: { description: 'more detail' } }),
      202,
    ],
  ])('%s', async (_name, body, status) => {
    await h.seedAlert();
    const response = await h.webhook(body);
    expect(response.status).toBe(status);
    await h.drain();
    expect(h.slackCalls).toEqual([]);
  });
});

describe('redelivery and order', () => {
  test('the same webhook twice: one reply', async () => {
    await h.seedAlert();
    const event = caseEvent({ details: { status: 'InProgress', stage: 'InProgress' } });
    await deliver(event);
    await deliver(event);

    expect(h.slackCalls.filter((call) => call.method === 'chat.postMessage').map((c) => c.args.text)).toEqual(
      ['Case #42: 🔄 Status `New` → `InProgress` by `analyst@example.com`'],
    );
  });

  test('a newer update then an older one: the older changes nothing', async () => {
    await h.seedAlert();
    await deliver(
      caseEvent({
        details: { status: 'InProgress', stage: 'InProgress', assignee: 'bob@example.com' },
        at: 1795583000000,
      }),
    );
    await deliver(caseEvent({ details: { status: 'Hold', stage: 'InProgress' }, at: 1795582950000 }));

    expect(h.slackCalls.map((call) => call.method)).toEqual([
      'users.lookupByEmail',
      'chat.postMessage',
      'chat.update',
    ]);
    const alert = await h.runtime.deps.store.findAlertByCase(CASE_ID);
    expect(alert?.case?.status).toBe('InProgress');
    expect(alert?.caseUpdatedAt).toBe(1795583000000);
  });
});

describe('Slack down', () => {
  test.each([
    ['chat.postMessage answers 500', { status: 500, body: { ok: false, error: 'internal_error' } }],
    [
      'chat.postMessage is rate limited',
      { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } },
    ],
  ])(
    '%s: the job fails, is retried, and the pending reply is delivered exactly once',
    async (_name, answer) => {
      await h.seedAlert();
      h.slackAnswers['chat.postMessage'] = [answer];
      await deliver(caseEvent({ details: { status: 'InProgress', stage: 'InProgress' } }));

      expect(h.slackCalls.map((call) => call.method)).toEqual([
        'chat.postMessage',
        'chat.postMessage',
        'chat.update',
      ]);
      expect(h.slackCalls[0]!.args.text).toBe(h.slackCalls[1]!.args.text);
      const alert = await h.runtime.deps.store.findAlertByCase(CASE_ID);
      expect(alert?.pendingReplies ?? []).toEqual([]);
      expect(await h.runtime.deps.store.listDeadLetters(10)).toEqual([]);
    },
  );
});

test('two changes delivered at the same moment: each reply is posted exactly once', async () => {
  await h.seedAlert();
  const responses = await Promise.all([
    h.webhook(caseEvent({ details: { severity: 3 }, at: 1795582900000 })),
    h.webhook(caseEvent({ details: { severity: 3, tlp: 3 }, at: 1795582950000 })),
    h.webhook(caseEvent({ details: { severity: 3, tlp: 3, pap: 1 }, at: 1795583000000 })),
  ]);
  expect(responses.map((response) => response.status)).toEqual([202, 202, 202]);
  await h.drain();

  const replies = h.slackCalls
    .filter((call) => call.method === 'chat.postMessage')
    .map((call) => call.args.text);
  expect(replies).toHaveLength(new Set(replies).size);
  const alert = await h.runtime.deps.store.findAlertByCase(CASE_ID);
  expect(alert?.case).toMatchObject({ severity: 3, tlp: 3, pap: 1 });
  expect(alert?.pendingReplies ?? []).toEqual([]);
});

test('Security Hub down when the case closes: the job is retried, the reply posted once, the workflow sent until it succeeds', async () => {
  await h.seedAlert();
  h.securityHubAnswers.push(500);
  await deliver(caseEvent({ details: { status: 'FalsePositive', stage: 'Closed' } }));

  // The retry re-renders the root (the same message) before it tries Security Hub again.
  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.update']);
  expect(h.slackCalls[2]!.args.blocks).toEqual(h.slackCalls[1]!.args.blocks);
  expect(h.securityHubCalls.map((call) => (call.body as { Workflow: unknown }).Workflow)).toEqual([
    { Status: 'SUPPRESSED' },
    { Status: 'SUPPRESSED' },
  ]);
  const alert = await h.runtime.deps.store.findAlertByCase(CASE_ID);
  expect(alert?.pendingWorkflow).toBeUndefined();
  expect((await h.runtime.deps.store.listAudit(alert!.fingerprint)).map((event) => event.action)).toEqual([
    'status-changed',
    'securityhub-workflow',
  ]);
});

test('a case deleted, and the deletion redelivered: one reply', async () => {
  await h.seedAlert();
  const deleted = caseEvent({ action: 'delete', details: {}, object: {} });
  await deliver(deleted);
  await deliver(deleted);

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
});

test('Security Hub refusing for good: the thread and root still show the close; the job ends as a dead letter', async () => {
  await h.seedAlert();
  h.securityHubAnswers.push(500, 500, 500, 500, 500);
  await deliver(caseEvent({ details: { status: 'TruePositive', stage: 'Closed' } }));

  expect(h.securityHubCalls).toHaveLength(5);
  expect(h.slackCalls.map((call) => call.method)).toEqual([
    'chat.postMessage',
    'chat.update',
    'chat.update',
    'chat.update',
    'chat.update',
    'chat.update',
  ]);
  expect(statusLine(h.slackCalls[1]!)).toBe('✅ *Case #42* · closed as `TruePositive`');
  expect((await h.runtime.deps.store.listDeadLetters(10)).map((letter) => letter.kind)).toEqual([
    'job:case-changed',
  ]);
});

describe('Owed replies on every platform the alert is on', () => {
  const ROOM = 'Y2lzY29zcGFyazovL3VzL1JPT00vb3dlZA';
  const CARD = 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvY2FyZA';

  /** Webex at its real host, answered by nock: every message posted, parsed. */
  function mockWebex(): Record<string, unknown>[] {
    h.runtime.deps.chats.webex = new WebexChat(new WebexClient({ token: 'webex-bot-token', retries: 0 }));
    const posted: Record<string, unknown>[] = [];
    nock('https://webexapis.com')
      .persist()
      .post('/v1/messages')
      .reply(200, (_uri, body) => {
        posted.push(body as Record<string, unknown>);
        return {
          id: `reply-${posted.length}`,
          roomId: ROOM,
          personId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ib3Q',
          created: '2026-01-01T00:00:00.000Z',
        };
      });
    return posted;
  }

  test('a case change is threaded on Slack and Webex; when Slack fails, the retry posts it to Slack only', async () => {
    const webex = mockWebex();
    await h.seedAlert({ posts: { webex: { channel: ROOM, messageId: CARD } } });
    h.slackAnswers['chat.postMessage'] = [{ status: 500, body: { ok: false, error: 'internal_error' } }];
    await deliver(caseEvent({ details: { status: 'InProgress', stage: 'InProgress' } }));

    expect(webex).toEqual([
      expect.objectContaining({
        roomId: ROOM,
        parentId: CARD,
        markdown: expect.stringMatching(
          /updated in TheHive by analyst@example\[\.\]com {2}\n🔄 Status New → InProgress$/,
        ),
      }),
    ]);
    const replies = h.slackCalls.filter((call) => call.method === 'chat.postMessage');
    expect(replies).toHaveLength(2);
    expect(replies[1]!.args.text).toBe('Case #42: 🔄 Status `New` → `InProgress` by `analyst@example.com`');
    const alert = await h.runtime.deps.store.findAlertByCase(CASE_ID);
    expect(alert?.pendingReplies ?? []).toEqual([]);
  });

  test('an owed reply stored by an earlier version (Slack text, no note) is still delivered to Slack', async () => {
    const webex = mockWebex();
    await h.seedAlert({
      posts: { webex: { channel: ROOM, messageId: CARD } },
      pendingReplies: [
        {
          id: 'stored-before-notes',
          text: 'Case #42: 🔄 Status `New` → `Hold`',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'stored before notes' } }],
        },
      ],
    });
    await deliver(caseEvent({ details: { status: 'InProgress', stage: 'InProgress' } }));

    const replies = h.slackCalls.filter((call) => call.method === 'chat.postMessage');
    expect(replies.map((call) => call.args.text)).toEqual([
      'Case #42: 🔄 Status `New` → `Hold`',
      'Case #42: 🔄 Status `New` → `InProgress` by `analyst@example.com`',
    ]);
    expect(sectionText(replies[0]!)).toBe('stored before notes');
    // It has no platform-neutral note to render: Webex hears only the new change.
    expect(webex).toHaveLength(1);
    const alert = await h.runtime.deps.store.findAlertByCase(CASE_ID);
    expect(alert?.pendingReplies ?? []).toEqual([]);
  });
});
