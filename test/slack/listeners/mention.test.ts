import nock from 'nock';
import {
  eventEnvelope,
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

function mention(eventId: string) {
  return eventEnvelope(
    {
      type: 'app_mention',
      user: 'U0ANALYST',
      text: '<@U0HIVEWIRE> what can you do? ✓',
      ts: '1764064800.000500',
      thread_ts: '1764064700.000100',
      channel: 'C0SECOPS',
      event_ts: '1764064800.000500',
    },
    eventId,
  );
}

describe('@-mention', () => {
  it('answers with the help in the thread, once per event id even when Slack retries it', async () => {
    const posts: Record<string, string>[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        posts.push(slackForm(body));
        return true;
      })
      .reply(200, { ok: true, ts: '1764064801.000600', channel: 'C0SECOPS' });

    const first = await harness.event(mention('Ev0MENTION1'));
    const retry = await harness.event(mention('Ev0MENTION1'));

    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      channel: 'C0SECOPS',
      thread_ts: '1764064700.000100',
      text: 'Hivewire help: /hivewire threshold | case | lookup | sla | help',
    });
    expect(JSON.parse(posts[0]?.blocks ?? '[]')[0].text.text).toContain('`/hivewire help` shows this help');
  });
});
