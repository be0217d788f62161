/**
 * The thread is the case's conversation, through the real protocols: signed Slack `message` events
 * into the real Bolt app, TheHive webhooks into the real route, the worker's handler, TheHive played by
 * the sandbox stand-in on a real local server (its answers checked against TheHive's own API document
 * in test/sandbox/thehive-reference.test.ts) and Slack's Web API by nock.
 */
import nock from 'nock';
import { TheHiveClient } from '../../clients/thehive/client';
import { describeEvent } from '../../src/cli/audit';
import { HIVEWIRE_COMMENT_MARKER } from '../../src/cases/conversation-text';
import { reconcile } from '../../src/cases/reconcile';
import { handleTheHiveWebhook } from '../../src/http/endpoints/thehive-webhook';
import { createTheHiveApi } from '../../src/sandbox/thehive-api';
import { SandboxTheHive } from '../../src/sandbox/thehive-instance';
import { WebhookNotifier } from '../../src/sandbox/thehive-webhook';
import { createLogger } from '../../src/observability/logger';
import type { Job } from '../../src/queue/jobs';
import { createJobHandler } from '../../src/worker/worker';
import { analystClients } from '../../src/wiring/analyst-clients';
import {
  eventEnvelope,
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  type AnalystHarness,
} from '../helpers/analyst';
import { makeAlertRecord } from '../helpers/alerts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams';
import { alertView } from '../../src/alerts/render';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE } from '../../src/sandbox/teams-tenant';
import { updateAlert } from '../../src/store/store';
import { serveHandler, startRecorder, type LocalServer, type Recorder } from '../sandbox/local-server';

const CHANNEL = 'C0SECOPS';
const ALERT_TS = '1764064800.000100';
const REPLY_TS = '1764065400.000200';
const ALERT_LINK = `https://example.slack.com/archives/${CHANNEL}/p1764064800000100`;

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

let h: AnalystHarness;
let theHive: SandboxTheHive;
let theHiveServer: LocalServer;
let webhooks: Recorder;
let notifier: WebhookNotifier;
let caseId: string;
let slackPosts: Record<string, string>[];
let slackUpdates: Record<string, string>[];
let threadReplies: Record<string, unknown>[];

/** An alert with a case in the sandbox TheHive, as escalation leaves it. */
async function seedEscalated() {
  const alert = theHive.createAlert(
    { type: 'hivewire', source: 'guardduty', sourceRef: 'gd-1', title: 'Tor caller', description: '…' },
    'hivewire@thehive.local',
  );
  caseId = theHive.promoteAlert(alert._id, {}, 'hivewire@thehive.local')._id;
  // The case's creation was Hivewire's own escalation: its webhook is not part of these tests.
  await notifier.idle();
  webhooks.requests.splice(0);
  await h.seedAlert(
    makeAlertRecord({
      state: 'escalated',
      channel: CHANNEL,
      ts: ALERT_TS,
      permalink: ALERT_LINK,
      caseId,
      caseNumber: 1,
      escalatedAt: '2025-11-25T10:05:00.000Z',
      case: { status: 'New', stage: 'New' },
    }),
  );
}

async function startWith(configYaml = '', withCase = true, harness = startAnalystHarness) {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await harness(configYaml);
  mockAuthTest();
  webhooks = await startRecorder();
  notifier = new WebhookNotifier({
    url: `${webhooks.url}/thehive/webhook`,
    secret: 's',
    logger: createLogger(),
  });
  theHive = new SandboxTheHive({ users: ['alice@example.com'], notifier });
  theHiveServer = await serveHandler(createTheHiveApi({ theHive, apiKey: 'thehive-key' }));
  h.deps.theHive = new TheHiveClient({
    baseUrl: `${theHiveServer.url}/sandbox/thehive`,
    apiKey: 'thehive-key',
    retries: 0,
  });
  if (withCase) await seedEscalated();
  slackPosts = [];
  slackUpdates = [];
  threadReplies = [];
  let posted = 0;
  nock('https://slack.com')
    .persist()
    .post('/api/users.info')
    .reply(200, (_uri, body) => {
      const user = slackForm(body).user;
      const names: Record<string, string> = { U0ALICE: 'alice', U0BOB: 'bob <!channel>' };
      return { ok: true, user: { id: user, name: user, profile: { display_name: names[user!] ?? '' } } };
    })
    .post('/api/chat.getPermalink')
    .reply(200, (_uri, body) => {
      const { channel, message_ts: ts } = slackForm(body);
      return {
        ok: true,
        channel,
        permalink: `https://example.slack.com/archives/${channel}/p${ts!.replace('.', '')}`,
      };
    })
    .post('/api/chat.postMessage')
    .reply(200, (_uri, body) => {
      const form = slackForm(body);
      slackPosts.push(form);
      posted += 1;
      const ts = `1764066000.${String(posted).padStart(6, '0')}`;
      threadReplies.push({ ts, bot_id: 'B0HIVEWIRE', metadata: JSON.parse(form.metadata ?? 'null') });
      return { ok: true, channel: form.channel, ts };
    })
    .post('/api/chat.update')
    .reply(200, (_uri, body) => {
      slackUpdates.push(slackForm(body));
      return { ok: true };
    })
    .post('/api/conversations.replies')
    .reply(200, () => ({ ok: true, messages: threadReplies, has_more: false }));
}

afterEach(async () => {
  nock.cleanAll();
  await notifier.idle();
  await theHiveServer.close();
  await webhooks.close();
  await h.close();
});

let eventCounter = 0;
function envelope(event: Record<string, unknown>, eventId = `Ev${(eventCounter += 1)}`) {
  return eventEnvelope({ channel_type: 'channel', ...event }, eventId, 1764065400);
}

function reply(text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channel: CHANNEL,
    user: 'U0ALICE',
    text,
    ts: REPLY_TS,
    thread_ts: ALERT_TS,
    event_ts: REPLY_TS,
    ...extra,
  };
}

/** Runs jobs through the worker's handler, all at once; a job that finds another on its copy runs again after. */
async function runConcurrently(jobs: Job[]): Promise<void> {
  const handle = createJobHandler(Object.assign(h.deps, analystClients(h.deps, process.env)), 5);
  let pending = jobs.map((job) => ({ job, attempt: 1 }));
  while (pending.length > 0) {
    const results = await Promise.allSettled(pending.map(({ job, attempt }) => handle(job, attempt)));
    pending = pending
      .filter((_, i) => results[i]!.status === 'rejected')
      .map((p) => ({ ...p, attempt: p.attempt + 1 }));
  }
}

function comments() {
  return theHive.commentsOf(caseId);
}

/** Delivers every audit event the sandbox TheHive sent to Hivewire's webhook route, then runs the jobs. */
async function deliverWebhooks(): Promise<void> {
  await notifier.idle();
  for (const request of webhooks.requests.splice(0)) {
    const answer = await handleTheHiveWebhook(
      {
        method: 'POST',
        path: '/thehive/webhook',
        headers: { authorization: 'Bearer webhook-secret', 'content-type': 'application/json' },
        body: request.body,
      },
      h.deps,
    );
    expect(answer.status).toBeLessThan(300);
  }
  await runConcurrently(h.jobs.splice(0));
}

describe('Slack → TheHive', () => {
  beforeEach(() => startWith());

  it('a reply in the thread becomes one comment, also when Slack retries the event and when workers race', async () => {
    const event = envelope(reply('on it, blocking the key'), 'Ev0REPLY');
    expect((await h.event(event)).status).toBe(200);
    expect((await h.event(event)).status).toBe(200);
    expect((await h.event(envelope(reply('on it, blocking the key')))).status).toBe(200);
    const jobs = h.jobs.splice(0);
    expect(jobs.map((job) => job.kind)).toEqual(['thread-message', 'thread-message', 'thread-message']);
    await runConcurrently([...jobs, ...jobs]);

    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.message).toBe(
      '**alice** in Slack: on it, blocking the key\n\n' +
        `[Slack message](https://example.slack.com/archives/${CHANNEL}/p1764065400000200)\n\n${HIVEWIRE_COMMENT_MARKER}`,
    );
    // Its webhook comes back: Hivewire's own comment is not threaded back.
    await deliverWebhooks();
    expect(slackPosts).toEqual([]);
  });

  it('an edit updates the comment, a deletion marks it deleted; a late, older edit changes nothing', async () => {
    await h.event(envelope(reply('first words')));
    await h.runJobs();
    const edited = {
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      hidden: true,
      ts: '1764065500.000300',
      message: { ...reply('better words'), edited: { user: 'U0ALICE', ts: '1764065500.000000' } },
      previous_message: reply('first words'),
    };
    await h.event(envelope(edited));
    await h.runJobs();
    expect(comments()).toHaveLength(1);
    expect(comments()[0]).toMatchObject({ isEdited: true });
    expect(comments()[0]!.message).toMatch(/^\*\*alice\*\* in Slack \(edited\): better words\n/);

    const older = {
      ...edited,
      message: { ...edited.message, text: 'stale', edited: { user: 'U0ALICE', ts: '1764065450.000000' } },
    };
    await h.event(envelope(older));
    await h.runJobs();
    expect(comments()[0]!.message).toContain('better words');

    await h.event(
      envelope({
        type: 'message',
        subtype: 'message_deleted',
        channel: CHANNEL,
        hidden: true,
        ts: '1764065600.000400',
        deleted_ts: REPLY_TS,
        previous_message: reply('better words'),
      }),
    );
    await h.runJobs();
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.message).toMatch(
      /^\*\*alice\*\* in Slack: _message deleted in Slack at 2025-11-25T10:13:20\.000Z_\n/,
    );
    expect(comments()[0]!.message).not.toContain('better words');

    const trail = await h.deps.store.listAudit(makeAlertRecord().fingerprint);
    expect(
      trail
        .filter((e) => e.action === 'conversation-to-thehive')
        .map((e) => [e.details?.change, e.details?.text]),
    ).toEqual([
      ['posted', 'first words'],
      ['edited', 'better words'],
      ['deleted', undefined],
    ]);
  });

  it("mentions become names, links the text written (defanged), code stays code; bots' and others' threads are not copied", async () => {
    await h.event(
      envelope(
        reply(
          'ping <@U0BOB> <!here> see <https://evil.example/x|the runbook> and <https://evil.example/y> ' +
            '`rm -rf /tmp/*` &lt;script&gt; [x](javascript:alert(1)) # not a heading',
          {
            files: [
              {
                name: 'pcap.zip',
                title: 'capture.pcap',
                permalink: 'https://example.slack.com/files/U0ALICE/F1/capture.pcap',
              },
            ],
          },
        ),
      ),
    );
    await h.event(
      envelope(
        reply('from a bot', {
          ts: '1764065401.000001',
          bot_id: 'B0OTHER',
          subtype: 'bot_message',
          user: undefined,
        }),
      ),
    );
    await h.event(
      envelope(reply('from hivewire', { ts: '1764065402.000001', user: 'U0HIVEWIRE', bot_id: 'B0HIVEWIRE' })),
    );
    await h.event(
      envelope(reply('another thread', { ts: '1764065403.000001', thread_ts: '1764060000.000001' })),
    );
    await h.event(envelope(reply('said before the case', { ts: '1764065000.000001' })));
    await h.runJobs();

    expect(comments()).toHaveLength(1);
    const [first] = comments().map((c) => c.message.split('\n\n'));
    expect(first![0]).toBe(
      '**alice** in Slack: ping @bob \\<!channel> @here see the runbook and hxxps://evil[.]example/y ' +
        '`rm -rf /tmp/*` \\<script> \\[x\\](javascript:alert(1)) # not a heading',
    );
    expect(first![1]).toBe('- file [capture.pcap](https://example.slack.com/files/U0ALICE/F1/capture.pcap)');
  });
});

describe('TheHive → Slack', () => {
  beforeEach(() => startWith());

  it('a comment added in TheHive is threaded once with the case link, though TheHive delivers it twice to racing workers', async () => {
    theHive.addComment(
      caseId,
      { message: 'Contained: key <!channel> disabled, see <https://x.example|here> *now*' },
      'alice@example.com',
    );
    await notifier.idle();
    webhooks.requests.push(...webhooks.requests);
    await deliverWebhooks();

    expect(slackPosts).toHaveLength(1);
    const post = slackPosts[0]!;
    expect(post).toMatchObject({ channel: CHANNEL, thread_ts: ALERT_TS });
    expect(post.text).toBe(
      '`alice@example.com` in TheHive: `Contained: key &lt;!channel&gt; disabled, see &lt;https://x.example|here&gt; *now*`',
    );
    const blocks = JSON.parse(post.blocks!);
    expect(blocks[0].elements[0].text).toMatch(
      /^💬 `alice@example\.com` in TheHive on <https:\/\/thehive\.example\.test\/cases\/~\d+\/details\|Case #1>$/,
    );
    expect(blocks[1].text).toEqual({
      type: 'plain_text',
      text: 'Contained: key <!channel> disabled, see <https://x.example|here> *now*',
    });

    const trail = await h.deps.store.listAudit(makeAlertRecord().fingerprint);
    const copied = trail.find((e) => e.action === 'conversation-to-slack')!;
    expect(describeEvent(copied, h.config)).toContain('alice@example.com in TheHive');
  });

  it('reconcile threads a comment whose webhook was dropped, once', async () => {
    theHive.addComment(caseId, { message: 'missed by the webhook' }, 'alice@example.com');
    await notifier.idle();
    webhooks.requests.splice(0);
    const first = await reconcile(h.deps);
    const second = await reconcile(h.deps);
    expect([first.comments, second.comments]).toEqual([1, 0]);
    expect(slackPosts.map((p) => JSON.parse(p.blocks!)[1].text.text)).toEqual(['missed by the webhook']);
  });

  it('a worker that stopped after posting is not posted again: its reply is found by the comment id it carries', async () => {
    const comment = theHive.addComment(caseId, { message: 'posted once' }, 'alice@example.com');
    await notifier.idle();
    webhooks.requests.splice(0);
    // What the stopped worker left: a claim long lapsed, and its reply in the thread.
    await h.deps.store.createConversationCopy({
      key: `thehive:${comment._id}`,
      fingerprint: makeAlertRecord().fingerprint,
      caseId,
      direction: 'thehive-to-slack',
      claimedAt: h.clock.now.getTime() - 10 * 60_000,
    });
    threadReplies.push({
      ts: '1764065999.000009',
      bot_id: 'B0HIVEWIRE',
      metadata: { event_type: 'hivewire_case_comment', event_payload: { commentId: comment._id } },
    });
    await reconcile(h.deps);
    expect(slackPosts).toEqual([]);
    expect((await h.deps.store.getConversationCopy(`thehive:${comment._id}`))?.ts).toBe('1764065999.000009');
  });
});

describe('TheHive → every platform the alert is on', () => {
  let teams: TeamsHarness;
  beforeEach(async () => {
    await startWith('', true, async (yaml) => (teams = await startTeamsHarness(yaml)));
  });

  it('a comment is threaded in Slack and in the alert’s Teams reply chain, once each, though delivered twice to racing workers', async () => {
    const alert = (await h.deps.store.getAlert(makeAlertRecord().fingerprint))!;
    expect((await teams.send(teams.installation(SANDBOX_TEAMS_PEOPLE[0]!))).status).toBe(200);
    const channel = SANDBOX_TEAMS.channel.id;
    const messageId = await h.deps.chats.teams!.postAlert(channel, alertView(alert, h.config));
    await updateAlert(h.deps.store, alert.fingerprint, (current) => ({
      ...current,
      posts: { teams: { channel, messageId } },
    }));
    const comment = theHive.addComment(
      caseId,
      { message: 'Contained <at>Bob</at> [here](https://x.example) **now**' },
      'alice@example.com',
    );
    await notifier.idle();
    webhooks.requests.push(...webhooks.requests);
    await deliverWebhooks();

    expect(slackPosts).toHaveLength(1);
    const replies = teams.tenant.history(channel).filter((activity) => activity.replyToId === messageId);
    expect(replies).toHaveLength(1);
    const [card] = replies[0]!.attachments as { content: { body: { text: string }[]; actions: unknown[] } }[];
    // The comment's words as text: nothing in them mentions, links or formats.
    expect(card!.content.body.map((block) => block.text)).toEqual([
      '💬 alice@example[.]com in TheHive on Case #1',
      'Contained \\<at>Bob\\</at> \\[here\\](hxxps://x[.]example) \\*\\*now\\*\\*',
    ]);
    expect(card!.content.actions).toEqual([
      expect.objectContaining({
        type: 'Action.OpenUrl',
        url: expect.stringContaining(`/cases/${caseId}/details`),
      }),
    ]);
    expect((await h.deps.store.getConversationCopy(`thehive:${comment._id}`))?.threadedOn).toEqual(['teams']);

    // Reconcile finds it copied: nothing more anywhere.
    await reconcile(h.deps);
    expect(slackPosts).toHaveLength(1);
    expect(teams.tenant.history(channel).filter((activity) => activity.replyToId === messageId)).toHaveLength(
      1,
    );
  });
});

describe('privacy', () => {
  it('a customer can turn either direction off', async () => {
    await startWith(
      'customers:\n  acme: { conversation: { slackToTheHive: false, theHiveToSlack: false } }\n',
    );
    await h.event(envelope(reply('private words')));
    await h.runJobs();
    theHive.addComment(caseId, { message: 'private too' }, 'alice@example.com');
    await deliverWebhooks();
    expect(comments().map((c) => c.message)).toEqual(['private too']);
    expect(slackPosts).toEqual([]);
  });
});

describe('said before the case', () => {
  beforeEach(() => startWith('', false));

  it('is summarised once, at escalation, as one comment with each message’s link; later replies are copied one by one', async () => {
    const alert = makeAlertRecord({
      state: 'escalating',
      channel: CHANNEL,
      ts: ALERT_TS,
      permalink: ALERT_LINK,
      escalatedBy: 'U0ALICE',
      escalatedAt: '2025-11-25T10:05:00.000Z',
    });
    await h.seedAlert(alert);
    const early = [
      { ...reply('looks like the Tor exit again'), ts: '1764064900.000300' },
      { ...reply('checking <@U0ALICE>'), ts: '1764064950.000400', user: 'U0BOB' },
    ];
    threadReplies.push({ ts: ALERT_TS, bot_id: 'B0HIVEWIRE', text: 'alert' }, ...early, {
      ts: '1764064960.000500',
      bot_id: 'B0OTHER',
      subtype: 'bot_message',
      text: 'a bot',
    });
    for (const message of early) await h.event(envelope(message));
    await h.runJobs();
    const job: Job = {
      kind: 'create-case',
      fingerprint: alert.fingerprint,
      userId: 'U0ALICE',
      requestedAt: '2025-11-25T10:05:00.000Z',
    };
    await runConcurrently([job, job]);
    await deliverWebhooks();

    caseId = (await h.deps.store.getAlert(alert.fingerprint))!.caseId!;
    expect(comments()).toHaveLength(1);
    const parts = comments()[0]!.message.split('\n\n---\n\n');
    expect(parts[0]).toBe('**Said in the Slack thread before the case was opened**');
    expect(parts[1]).toBe(
      `**alice** in Slack: looks like the Tor exit again\n\n[Slack message](https://example.slack.com/archives/${CHANNEL}/p1764064900000300)`,
    );
    expect(parts[2]).toMatch(/^\*\*bob \\<!channel>\*\* in Slack: checking @alice\n\n\[Slack message\]/);
    expect(parts[2]!.endsWith(HIVEWIRE_COMMENT_MARKER)).toBe(true);
    // Slack retries an early message, and a reply comes after the case: one summary, one copy.
    await h.event(envelope(early[0]!));
    await h.event(envelope(reply('case is open, on it')));
    await h.runJobs();
    expect(comments().map((c) => c.message.split('\n')[0])).toEqual([
      '**Said in the Slack thread before the case was opened**',
      '**alice** in Slack: case is open, on it',
    ]);
    expect(slackPosts.filter((post) => post.metadata)).toEqual([]);
  });
});
