import { createHash } from 'node:crypto';
import nock from 'nock';
import { ASK_USER, TRIAGE_NO, TRIAGE_YES } from '../../../blocks/actions';
import type { TriageRecord } from '../../../src/domain/triage';
import { makeAlertRecord } from '../../helpers/alerts';
import {
  buttonClick,
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  THEHIVE_URL,
  type AnalystHarness,
} from '../../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const CONFIG = `
slack:
  onCall: S0ONCALL
users:
  svc-ci: ci-owner@example.com
triage:
  timeoutMinutes: 60
  siemQueueUrl: https://sqs.eu-west-1.amazonaws.com/111122223333/siem-triage
`;
const JOBS_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/hivewire-jobs';
const DM = 'D0JDOE';

/** Captures SQS SendMessage calls to one regional endpoint (JSON protocol), answering the MD5 the SDK checks. */
function mockSqs(region: string, sent: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }[]) {
  nock(`https://sqs.${region}.amazonaws.com`)
    .post('/', (body) => {
      sent.push(typeof body === 'string' ? JSON.parse(body) : body);
      return true;
    })
    .reply(200, () => ({
      MessageId: `m-${sent.length}`,
      MD5OfMessageBody: createHash('md5')
        .update(sent[sent.length - 1]?.MessageBody ?? '')
        .digest('hex'),
    }));
}

function capture(
  method: string,
  into: Record<string, string>[],
  answer: Record<string, unknown> = { ok: true },
) {
  nock('https://slack.com')
    .post(`/api/${method}`, (body) => {
      into.push(slackForm(body));
      return true;
    })
    .reply(200, answer);
}

let harness: AnalystHarness;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  process.env.JOBS_QUEUE_URL = JOBS_QUEUE_URL;
  // Jobs are retried as the queue would, a few times.
  harness = await startAnalystHarness(CONFIG, process.env, { jobAttempts: 3 });
  mockAuthTest();
});
afterEach(async () => {
  delete process.env.JOBS_QUEUE_URL;
  nock.cleanAll();
  await harness.close();
});

const escalated = () =>
  makeAlertRecord({
    state: 'escalated',
    caseId: '~41',
    caseNumber: 42,
    caseUrl: `${THEHIVE_URL}/cases/~41/details`,
  });

/** How Slack answers a failed call: the status, the body and its headers. */
interface SlackFailure {
  status: number;
  body: string | Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * Clicks Ask the user and runs the worker: the DM goes to jdoe (after `lookupFailure`, when given,
 * answers the first look-up). Resolves to the question's record.
 */
async function ask(
  alert = escalated(),
  lookupFailure?: SlackFailure,
): Promise<{ record: TriageRecord; dm: Record<string, string>; posts: Record<string, string>[] }> {
  await harness.seedAlert(alert);
  capture('chat.postEphemeral', []);
  await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));
  if (lookupFailure)
    nock('https://slack.com')
      .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'jdoe@example.com')
      .reply(lookupFailure.status, lookupFailure.body, lookupFailure.headers);
  nock('https://slack.com')
    .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'jdoe@example.com')
    .reply(200, { ok: true, user: { id: 'U0JDOE', profile: { email: 'jdoe@example.com' } } });
  nock('https://slack.com')
    .post('/api/conversations.open', (body) => slackForm(body).users === 'U0JDOE')
    .reply(200, { ok: true, channel: { id: DM } });
  const posts: Record<string, string>[] = [];
  nock('https://slack.com')
    .post('/api/chat.postMessage', (body) => {
      posts.push(slackForm(body));
      return true;
    })
    .times(2)
    .reply(200, (_uri, body) => ({
      ok: true,
      ts: slackForm(body).channel === DM ? '1764065000.000100' : '1764065000.000200',
    }));
  const scheduled: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }[] = [];
  mockSqs('us-east-1', scheduled);
  await harness.runJobs();
  const triageId = JSON.parse(scheduled[0]?.MessageBody ?? '{}').triageId as string;
  const record = (await harness.deps.store.getSetting<TriageRecord>(`triage:${triageId}`)) as TriageRecord;
  return { record, dm: posts.find((post) => post.channel === DM) ?? {}, posts };
}

describe('Ask the user', () => {
  it('asks the person by DM with the summary and the identity confidence, threads it and schedules the timeout', async () => {
    const alert = escalated();
    await harness.seedAlert(alert);
    const ephemerals: Record<string, string>[] = [];
    capture('chat.postEphemeral', ephemerals);

    const response = await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));

    expect(response.status).toBe(200);
    expect(ephemerals[0]?.text).toBe(
      '❓ Asking the person this finding is about "was this you?"… the answer will be threaded here.',
    );
    const [job] = harness.jobs;
    expect(job).toMatchObject({
      kind: 'triage-ask',
      request: { origin: 'alert', fingerprint: alert.fingerprint, requestedBy: 'U0ANALYST' },
    });

    nock('https://slack.com')
      .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'jdoe@example.com')
      .reply(200, { ok: true, user: { id: 'U0JDOE' } });
    nock('https://slack.com')
      .post('/api/conversations.open', (body) => slackForm(body).users === 'U0JDOE')
      .reply(200, { ok: true, channel: { id: DM } });
    const posts: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        posts.push(slackForm(body));
        return true;
      })
      .times(2)
      .reply(200, { ok: true, ts: '1764065000.000100' });
    const scheduled: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }[] = [];
    mockSqs('us-east-1', scheduled);

    await harness.runJobs();

    const dm = posts[0] ?? {};
    expect(dm.channel).toBe(DM);
    const blocks = JSON.parse(dm.blocks ?? '[]');
    expect(blocks[1].text).toEqual({
      type: 'plain_text',
      text: 'API ListBuckets was invoked from a Tor exit node',
    });
    expect(blocks[3].elements[0].text).toBe('How sure we are this is about you: *`high`*');
    const buttons = blocks[4].elements as { action_id: string; value: string; text: { text: string } }[];
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      ['hivewire.triage.yes', 'Yes, it was me'],
      ['hivewire.triage.no', "No, it wasn't me"],
      ['hivewire.triage.unsure', 'Not sure'],
    ]);
    const triageId = buttons[0]?.value ?? '';
    expect(job).toMatchObject({ triageId });
    expect(posts[1]).toMatchObject({
      channel: 'C0SECOPS',
      thread_ts: alert.ts,
      text: '❓ Asked <@U0JDOE> "was this you?" (by <@U0ANALYST>). Waiting up to 60 minutes.',
    });
    const dueAt = new Date(harness.clock.now.getTime() + 60 * 60_000).toISOString();
    expect(scheduled).toEqual([
      {
        QueueUrl: JOBS_QUEUE_URL,
        MessageBody: JSON.stringify({ kind: 'triage-timeout', triageId, dueAt }),
        DelaySeconds: 900,
      },
    ]);
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      [
        'triage-asked',
        { kind: 'slack', id: 'U0ANALYST' },
        {
          triageId,
          email: 'jdoe@example.com',
          slackUserId: 'U0JDOE',
          identityConfidence: 'high',
          requestedBy: 'U0ANALYST',
          dueAt,
        },
      ],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('says a question is already waiting instead of asking twice', async () => {
    const alert = escalated();
    await ask(alert);
    const ephemerals: Record<string, string>[] = [];
    capture('chat.postEphemeral', ephemerals);
    await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint, userId: 'U0OTHER' }));
    expect(ephemerals[0]?.text).toBe(
      'A "was this you?" question is already waiting for an answer from <@U0JDOE>.',
    );
    expect(harness.jobs).toEqual([]);
  });

  it("says when the finding's user has no known e-mail, naming them", async () => {
    const alert = makeAlertRecord({ finding: { actor: { name: 'svc-deploy' } } });
    await harness.seedAlert(alert);
    const ephemerals: Record<string, string>[] = [];
    capture('chat.postEphemeral', ephemerals);
    await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));
    expect(ephemerals[0]?.text).toBe(
      'No e-mail address is known for `svc-deploy`: add it under `users` in the config file.',
    );
    expect(harness.jobs).toEqual([]);
  });

  it("finds the e-mail in the config file's users map, with moderate confidence", async () => {
    const alert = makeAlertRecord({ finding: { actor: { name: 'svc-ci' } } });
    await harness.seedAlert(alert);
    capture('chat.postEphemeral', []);
    await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));
    nock('https://slack.com')
      .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'ci-owner@example.com')
      .reply(200, { ok: true, user: { id: 'U0CIOWNER' } });
    nock('https://slack.com')
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: 'D0CI' } });
    const posts: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        posts.push(slackForm(body));
        return true;
      })
      .times(2)
      .reply(200, { ok: true, ts: '1.1' });
    mockSqs('us-east-1', []);
    await harness.runJobs();
    expect(JSON.parse(posts[0]?.blocks ?? '[]')[3].elements[0].text).toBe(
      'How sure we are this is about you: *`moderate`*',
    );
  });

  it.each<[string, SlackFailure]>([
    ['answers 500', { status: 500, body: 'Internal Server Error' }],
    [
      'is rate limited',
      { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '0' } },
    ],
  ])(
    'asks the person once the job is retried when Slack %s to the look-up: not "no such user", not remembered',
    async (_, failure) => {
      const { record, dm, posts } = await ask(escalated(), failure);

      expect(record).toMatchObject({ state: 'asked', person: { platform: 'slack', id: 'U0JDOE' } });
      expect(dm.channel).toBe(DM);
      expect(posts.map((post) => post.text)).toContain(
        '❓ Asked <@U0JDOE> "was this you?" (by <@U0ANALYST>). Waiting up to 60 minutes.',
      );
      const audit = await harness.deps.store.listAudit(record.fingerprint ?? '');
      expect(audit.map((e) => e.action)).toEqual(['triage-asked']);
      await expect(harness.deps.store.listDeadLetters(5)).resolves.toEqual([]);
      // Both look-ups reached Slack: the failure was not kept as "no such user".
      expect(nock.pendingMocks()).toEqual([]);
    },
  );

  it.each<[string, SlackFailure[]]>([
    ['lacks a scope (no retry fixes it)', [{ status: 200, body: { ok: false, error: 'missing_scope' } }]],
    [
      'fails on every attempt',
      [0, 1, 2].map(() => ({ status: 200, body: { ok: false, error: 'internal_error' } })),
    ],
  ])(
    'says in the thread, and audits, when the look-up %s: the question could not be asked',
    async (_, failures) => {
      const alert = escalated();
      await harness.seedAlert(alert);
      capture('chat.postEphemeral', []);
      await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));
      const code = failures[0]!.body as { error: string };
      for (const failure of failures)
        nock('https://slack.com')
          .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'jdoe@example.com')
          .reply(failure.status, failure.body);
      const replies: Record<string, string>[] = [];
      capture('chat.postMessage', replies, { ok: true, ts: '1.1' });

      await harness.runJobs();

      const reason = `Slack users.lookupByEmail failed: ${code.error}`;
      expect(replies.map((reply) => reply.text)).toEqual([`⚠️ Couldn't ask "was this you?": \`${reason}\``]);
      const audit = await harness.deps.store.listAudit(alert.fingerprint);
      expect(audit.map((e) => [e.action, e.details?.reason])).toEqual([['error', reason]]);
      const letters = await harness.deps.store.listDeadLetters(5);
      expect(letters.map((letter) => [letter.kind, letter.error])).toEqual([['job:triage-ask', reason]]);
      expect(nock.pendingMocks()).toEqual([]);
    },
  );

  it('still schedules the timeout of a question sent by DM when its thread refuses the "asked" reply', async () => {
    const alert = escalated();
    await harness.seedAlert(alert);
    capture('chat.postEphemeral', []);
    await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));
    nock('https://slack.com')
      .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'jdoe@example.com')
      .reply(200, { ok: true, user: { id: 'U0JDOE', profile: { email: 'jdoe@example.com' } } });
    nock('https://slack.com')
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: DM } });
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => slackForm(body).channel === DM)
      .reply(200, { ok: true, ts: '1764065000.000100' });
    // The alert's channel was archived: the thread reply fails for good, and so does the job.
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => slackForm(body).channel === alert.channel)
      .reply(200, { ok: false, error: 'is_archived' });
    const scheduled: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }[] = [];
    mockSqs('us-east-1', scheduled);

    await harness.runJobs();

    const letters = await harness.deps.store.listDeadLetters(5);
    expect(letters.map((letter) => letter.kind)).toEqual(['job:triage-ask']);
    // The person was asked: the question stays open, and closes on time if nobody answers it.
    const timeouts = scheduled.map((sent) => JSON.parse(sent.MessageBody) as Record<string, string>);
    expect(timeouts).toEqual([expect.objectContaining({ kind: 'triage-timeout' })]);
    const record = await harness.deps.store.getSetting<TriageRecord>(`triage:${timeouts[0]!.triageId}`);
    expect(record).toMatchObject({ state: 'asked', ts: '1764065000.000100', done: { scheduled: true } });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('says in the thread, and audits, when the address has no Slack user', async () => {
    const alert = makeAlertRecord({ finding: { actor: { name: 'svc-ci' } } });
    await harness.seedAlert(alert);
    capture('chat.postEphemeral', []);
    await harness.interact(buttonClick({ actionId: ASK_USER, value: alert.fingerprint }));
    nock('https://slack.com')
      .post('/api/users.lookupByEmail', (body) => slackForm(body).email === 'ci-owner@example.com')
      .reply(200, { ok: false, error: 'users_not_found' });
    const replies: Record<string, string>[] = [];
    capture('chat.postMessage', replies, { ok: true, ts: '1.1' });
    await harness.runJobs();
    expect(replies[0]?.text).toBe(
      '⚠️ Couldn\'t ask "was this you?": `no Slack user with the e-mail ci-owner@example.com`',
    );
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((e) => [e.action, e.details?.reason])).toEqual([
      ['error', 'no Slack user with the e-mail ci-owner@example.com'],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('the answer', () => {
  it('"No": the DM says thanks without buttons, the thread pages on-call, TheHive and the SIEM hear it', async () => {
    const { record } = await ask();
    const updates: Record<string, string>[] = [];
    capture('chat.update', updates);

    const response = await harness.interact(
      buttonClick({
        actionId: TRIAGE_NO,
        value: record.id,
        userId: 'U0JDOE',
        channel: DM,
        messageTs: record.ts,
      }),
    );

    expect(response.status).toBe(200);
    expect(updates[0]).toMatchObject({
      channel: DM,
      ts: record.ts,
      text: "Thanks, recorded: No, it wasn't me",
    });
    const dmBlocks = JSON.parse(updates[0]?.blocks ?? '[]') as { type: string; text?: { text: string } }[];
    expect(dmBlocks.some((block) => block.type === 'actions')).toBe(false);
    expect(dmBlocks[dmBlocks.length - 1]?.text?.text).toBe(
      "✅ *No, it wasn't me* · Thanks, recorded. The security team has been alerted and will contact you.",
    );
    expect(harness.jobs).toEqual([{ kind: 'triage-followup', triageId: record.id }]);

    const replies: Record<string, string>[] = [];
    capture('chat.postMessage', replies, { ok: true, ts: '1.3' });
    let comment: { message?: string } = {};
    nock(THEHIVE_URL)
      .post('/api/v1/case/~41/comment', (body) => {
        comment = body;
        return true;
      })
      .reply(201, {
        _id: '~9',
        _type: 'Comment',
        createdBy: 'hivewire',
        createdAt: 1764065000000,
        message: 'x',
      });
    const siem: { QueueUrl: string; MessageBody: string }[] = [];
    mockSqs('eu-west-1', siem);

    await harness.runJobs();

    expect(replies[0]).toMatchObject({
      channel: 'C0SECOPS',
      thread_ts: '1764064800.000100',
      text: "🚨 <@U0JDOE> answered: *No, it wasn't me*. This activity needs attention <!subteam^S0ONCALL>.",
    });
    expect(comment.message).toBe(
      `**Was this you?** jdoe@example[.]com (Slack U0JDOE) answered: **No, it wasn't me** at ${harness.clock.now.toISOString()}.`,
    );
    expect(siem[0]?.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/siem-triage');
    expect(JSON.parse(siem[0]?.MessageBody ?? '{}')).toEqual({
      identifier: escalated().finding.sourceId,
      user: { email: 'jdoe@example.com', slack: 'U0JDOE' },
      identityConfidence: 'high',
      response: 'no',
    });
    const audit = await harness.deps.store.listAudit(record.fingerprint ?? '');
    expect(audit.map((e) => [e.action, e.actor.kind, e.details?.response])).toEqual([
      ['triage-asked', 'slack', undefined],
      ['triage-answered', 'slack', 'no'],
      ['triage-sent-to-siem', 'system', 'no'],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('shows the same answer again to a second click on it, and records it once', async () => {
    const { record } = await ask();
    const updates: Record<string, string>[] = [];
    capture('chat.update', updates);
    capture('chat.update', updates);
    const ephemerals: Record<string, string>[] = [];
    capture('chat.postEphemeral', ephemerals);
    const click = buttonClick({
      actionId: TRIAGE_YES,
      value: record.id,
      userId: 'U0JDOE',
      channel: DM,
      messageTs: record.ts,
    });

    await harness.interact(click);
    await harness.interact(click);

    expect(updates.map((update) => [update.channel, update.ts, update.text])).toEqual([
      [DM, record.ts, updates[0]?.text],
      [DM, record.ts, updates[0]?.text],
    ]);
    expect(ephemerals).toEqual([]);
    expect(harness.jobs).toEqual([{ kind: 'triage-followup', triageId: record.id }]);
    const audit = await harness.deps.store.listAudit(record.fingerprint ?? '');
    expect(audit.filter((event) => event.action === 'triage-answered')).toHaveLength(1);
  });

  it('cannot be given twice, nor by someone else', async () => {
    const { record } = await ask();
    capture('chat.update', []);
    await harness.interact(
      buttonClick({
        actionId: TRIAGE_YES,
        value: record.id,
        userId: 'U0JDOE',
        channel: DM,
        messageTs: record.ts,
      }),
    );
    const ephemerals: Record<string, string>[] = [];
    capture('chat.postEphemeral', ephemerals);
    capture('chat.postEphemeral', ephemerals);

    await harness.interact(
      buttonClick({
        actionId: TRIAGE_NO,
        value: record.id,
        userId: 'U0JDOE',
        channel: DM,
        messageTs: record.ts,
      }),
    );
    await harness.interact(
      buttonClick({
        actionId: TRIAGE_YES,
        value: record.id,
        userId: 'U0MALLORY',
        channel: DM,
        messageTs: record.ts,
      }),
    );

    expect(ephemerals.map((e) => e.text)).toEqual([
      'This question was already answered or has expired. Thanks all the same.',
      'This question was sent to someone else.',
    ]);
    expect(harness.jobs).toEqual([{ kind: 'triage-followup', triageId: record.id }]);
    const stored = await harness.deps.store.getSetting<TriageRecord>(`triage:${record.id}`);
    expect(stored).toMatchObject({ state: 'answered', response: 'yes' });
  });
});

describe('no answer in time', () => {
  it('expires the question: the DM says so, the thread and the SIEM hear "no answer", a late click is refused', async () => {
    const { record } = await ask();
    const early = { kind: 'triage-timeout' as const, triageId: record.id, dueAt: record.dueAt ?? '' };

    // A hop of SQS's 15-minute delay arrives early: it schedules itself again for the rest.
    harness.clock.now = new Date(harness.clock.now.getTime() + 15 * 60_000);
    const rescheduled: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }[] = [];
    mockSqs('us-east-1', rescheduled);
    harness.jobs.push(early);
    await harness.runJobs();
    expect(rescheduled).toEqual([
      { QueueUrl: JOBS_QUEUE_URL, MessageBody: JSON.stringify(early), DelaySeconds: 900 },
    ]);

    harness.clock.now = new Date(Date.parse(record.dueAt ?? '') + 1000);
    const updates: Record<string, string>[] = [];
    capture('chat.update', updates);
    const replies: Record<string, string>[] = [];
    capture('chat.postMessage', replies, { ok: true, ts: '1.4' });
    nock(THEHIVE_URL).post('/api/v1/case/~41/comment').reply(201, {
      _id: '~9',
      _type: 'Comment',
      createdBy: 'hivewire',
      createdAt: 1764065000000,
      message: 'x',
    });
    const siem: { QueueUrl: string; MessageBody: string }[] = [];
    mockSqs('eu-west-1', siem);
    harness.jobs.push(early);

    await harness.runJobs();

    expect(updates[0]).toMatchObject({
      channel: DM,
      ts: record.ts,
      text: 'This security question has expired.',
    });
    expect(replies[0]?.text).toBe('⌛ No answer from <@U0JDOE> within 60 minutes.');
    expect(JSON.parse(siem[0]?.MessageBody ?? '{}')).toMatchObject({ response: 'noanswer' });

    const ephemerals: Record<string, string>[] = [];
    capture('chat.postEphemeral', ephemerals);
    await harness.interact(
      buttonClick({
        actionId: TRIAGE_YES,
        value: record.id,
        userId: 'U0JDOE',
        channel: DM,
        messageTs: record.ts,
      }),
    );
    expect(ephemerals[0]?.text).toBe(
      'This question was already answered or has expired. Thanks all the same.',
    );
    const audit = await harness.deps.store.listAudit(record.fingerprint ?? '');
    expect(audit.map((e) => e.action)).toEqual(['triage-asked', 'triage-expired', 'triage-sent-to-siem']);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
