import { createHash } from 'node:crypto';
import nock from 'nock';
import { TRIAGE_NO } from '../../../blocks/actions';
import { handleTriageInvocation, handleTriageRequest } from '../../../src/http/endpoints/triage';
import { TriageValidationError } from '../../../src/triage/triage';
import type { TriageRecord } from '../../../src/domain/triage';
import type { Job } from '../../../src/queue/jobs';
import { fingerprintOf } from '../../../src/findings/fingerprint';
import { makeAlertRecord } from '../../helpers/alerts';
import {
  buttonClick,
  INGEST_SECRET,
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

const CONFIG = `
slack:
  onCall: S0ONCALL
triage:
  siemQueueUrl: https://sqs.eu-west-1.amazonaws.com/111122223333/mozdef-triage
`;
const REQUEST = {
  identifier: '9Zo02m4B7gIfixq3c4Xh',
  alert: 'duo_bypass_codes_generated',
  identityConfidence: 'lowest',
  summary: 'DUO bypass codes have been generated for your account.',
  user: 'jdoe@example.com',
};

let harness: AnalystHarness;
/** Jobs held back until due (the question's timeout), as the local queue holds them. */
let scheduled: Job[];
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  harness = await startAnalystHarness(CONFIG);
  scheduled = [];
  Object.assign(harness.deps.queue, { enqueueAt: async (job: Job) => void scheduled.push(job) });
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

function basic(userAndPassword: string): string {
  return `Basic ${Buffer.from(userAndPassword).toString('base64')}`;
}

function post(body: string, authorization?: string) {
  return handleTriageRequest(
    {
      method: 'POST',
      path: '/triage',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { Authorization: authorization } : {}),
      },
      body,
    },
    harness.deps,
  );
}

function mockSqs(region: string, sent: { QueueUrl: string; MessageBody: string }[]) {
  nock(`https://sqs.${region}.amazonaws.com`)
    .post('/', (body) => {
      sent.push(typeof body === 'string' ? JSON.parse(body) : body);
      return true;
    })
    .reply(200, () => ({
      MessageId: 'm-1',
      MD5OfMessageBody: createHash('md5')
        .update(sent[sent.length - 1]?.MessageBody ?? '')
        .digest('hex'),
    }));
}

describe('POST /triage', () => {
  it('refuses a missing or wrong secret, Bearer or Basic, with 401 before reading the body', async () => {
    await expect(post(JSON.stringify(REQUEST))).resolves.toMatchObject({
      status: 401,
      body: '{"error":"unauthorized"}',
    });
    await expect(post('not json at all', 'Bearer wrong')).resolves.toMatchObject({ status: 401 });
    await expect(post('not json at all', basic('siem:wrong'))).resolves.toMatchObject({ status: 401 });
    // Basic carries base64(user:password): the bare secret is not Basic credentials.
    await expect(post(JSON.stringify(REQUEST), `Basic ${INGEST_SECRET}`)).resolves.toMatchObject({
      status: 401,
    });
    expect(harness.jobs).toEqual([]);
    await expect(harness.deps.store.listDeadLetters(10)).resolves.toEqual([]);
  });

  it('accepts the ingest secret as the Basic password, as /ingest does', async () => {
    const accepted = await post(JSON.stringify(REQUEST), basic(`siem:${INGEST_SECRET}`));
    expect(accepted.status).toBe(202);
    expect(harness.jobs).toEqual([expect.objectContaining({ kind: 'triage-ask' })]);
  });

  it('answers 400 naming the bad field, and keeps the request', async () => {
    const bad = await post(JSON.stringify({ ...REQUEST, user: 'jdoe' }), `Bearer ${INGEST_SECRET}`);
    expect(bad).toMatchObject({ status: 400 });
    expect(JSON.parse(bad.body).error).toMatch(/^user: /);
    const level = await post(
      JSON.stringify({ ...REQUEST, identityConfidence: 'certain' }),
      `Bearer ${INGEST_SECRET}`,
    );
    expect(JSON.parse(level.body).error).toMatch(/^identityConfidence: /);
    const notJson = await post('{', `Bearer ${INGEST_SECRET}`);
    expect(notJson).toMatchObject({ status: 400 });
    expect(JSON.parse(notJson.body).error).toMatch(/^body: not JSON \(.+\)$/);
    const letters = await harness.deps.store.listDeadLetters(10);
    expect(letters.map((letter) => letter.kind)).toEqual([
      'rejected-triage',
      'rejected-triage',
      'rejected-triage',
    ]);
    expect(harness.jobs).toEqual([]);
  });

  it('queues the question (202), DMs the user, and sends the answer to the SIEM queue; "No" is raised in the channel', async () => {
    const accepted = await post(JSON.stringify(REQUEST), `Bearer ${INGEST_SECRET}`);
    expect(accepted.status).toBe(202);
    const { triageId } = JSON.parse(accepted.body) as { triageId: string };
    expect(harness.jobs).toEqual([
      {
        kind: 'triage-ask',
        triageId,
        request: {
          origin: 'siem',
          identifier: REQUEST.identifier,
          email: REQUEST.user,
          alert: REQUEST.alert,
          summary: REQUEST.summary,
          identityConfidence: 'lowest',
        },
        requestedAt: harness.clock.now.toISOString(),
      },
    ]);

    nock('https://slack.com')
      .post('/api/users.lookupByEmail')
      .reply(200, { ok: true, user: { id: 'U0JDOE' } });
    nock('https://slack.com')
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: 'D0JDOE' } });
    const dms: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        dms.push(slackForm(body));
        return true;
      })
      .reply(200, { ok: true, ts: '1764065000.000100' });
    await harness.runJobs();
    expect(dms[0]?.channel).toBe('D0JDOE');
    expect(JSON.parse(dms[0]?.blocks ?? '[]')[1].text.text).toBe('duo_bypass_codes_generated');
    expect(scheduled).toEqual([expect.objectContaining({ kind: 'triage-timeout', triageId })]);
    await expect(harness.deps.store.listDeadLetters(5)).resolves.toEqual([]);

    mockAuthTest();
    nock('https://slack.com').post('/api/chat.update').reply(200, { ok: true });
    await harness.interact(
      buttonClick({
        actionId: TRIAGE_NO,
        value: triageId,
        userId: 'U0JDOE',
        channel: 'D0JDOE',
        messageTs: '1764065000.000100',
      }),
    );
    const raised: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        raised.push(slackForm(body));
        return true;
      })
      .reply(200, { ok: true, ts: '1.5' });
    const siem: { QueueUrl: string; MessageBody: string }[] = [];
    mockSqs('eu-west-1', siem);

    await harness.runJobs();

    expect(raised[0]).toMatchObject({
      channel: 'C0SECOPS',
      text: "🚨 <@U0JDOE> answered *No, it wasn't me* to `duo_bypass_codes_generated` (SIEM `9Zo02m4B7gIfixq3c4Xh`) <!subteam^S0ONCALL>",
    });
    expect(siem).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/mozdef-triage',
        MessageBody: JSON.stringify({
          identifier: REQUEST.identifier,
          user: { email: 'jdoe@example.com', slack: 'U0JDOE' },
          identityConfidence: 'lowest',
          response: 'no',
        }),
      },
    ]);
    const audit = await harness.deps.store.listAudit(`triage:${REQUEST.identifier}`);
    expect(audit.map((e) => e.action)).toEqual([
      'triage-requested',
      'triage-asked',
      'triage-answered',
      'triage-sent-to-siem',
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('threads the answer under the MozDef alert Hivewire ingested with the same document id', async () => {
    const alert = makeAlertRecord({
      fingerprint: fingerprintOf('mzd', `mozdef/${REQUEST.identifier}`),
      finding: { source: 'siem', product: 'MozDef', sourceId: REQUEST.identifier },
    });
    await harness.seedAlert(alert);
    const { triageId } = await handleTriageInvocation(JSON.stringify(REQUEST), harness.deps);
    nock('https://slack.com')
      .post('/api/users.lookupByEmail')
      .reply(200, { ok: true, user: { id: 'U0JDOE' } });
    nock('https://slack.com')
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: 'D0JDOE' } });
    const posts: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        posts.push(slackForm(body));
        return true;
      })
      .times(2)
      .reply(200, { ok: true, ts: '1.6' });
    await harness.runJobs();
    expect(posts[1]).toMatchObject({ channel: 'C0SECOPS', thread_ts: alert.ts });
    const record = await harness.deps.store.getSetting<TriageRecord>(`triage:${triageId}`);
    expect(record?.fingerprint).toBe(alert.fingerprint);
    // The job ran to its end: the timeout is scheduled, nothing failed.
    expect(scheduled).toEqual([expect.objectContaining({ kind: 'triage-timeout', triageId })]);
    await expect(harness.deps.store.listDeadLetters(5)).resolves.toEqual([]);
  });
});

describe('handleTriageInvocation', () => {
  it('accepts the request object a direct Lambda invocation carries', async () => {
    const { triageId } = await handleTriageInvocation(REQUEST, harness.deps);
    expect(harness.jobs).toMatchObject([{ kind: 'triage-ask', triageId }]);
  });

  it('throws a validation error naming the field, and keeps the payload', async () => {
    const error = await handleTriageInvocation({ ...REQUEST, summary: '' }, harness.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TriageValidationError);
    expect((error as TriageValidationError).field).toBe('summary');
    await expect(harness.deps.store.listDeadLetters(10)).resolves.toMatchObject([
      { kind: 'rejected-triage' },
    ]);
  });
});
