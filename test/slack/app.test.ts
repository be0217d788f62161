import nock from 'nock';
import { CREATE_CASE } from '../../blocks/actions';
import { buttonClick, startAnalystHarness, type AnalystHarness } from '../helpers/analyst';

describe('Slack app', () => {
  let harness: AnalystHarness;
  let identityLookups = 0;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
    harness = await startAnalystHarness();
  });

  afterAll(async () => {
    await harness.close();
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });

  it('asks Slack who the bot is once, not on every request', async () => {
    nock('https://slack.com')
      .persist()
      .post('/api/auth.test')
      .reply(() => {
        identityLookups += 1;
        return [200, { ok: true, user_id: 'U0HIVEWIRE', bot_id: 'B0HIVEWIRE', team_id: 'T0TEST' }];
      });
    const ephemerals = nock('https://slack.com')
      .post('/api/chat.postEphemeral')
      .times(3)
      .reply(200, { ok: true });

    for (let click = 0; click < 3; click += 1) {
      const response = await harness.interact(buttonClick({ actionId: CREATE_CASE, value: 'gd-unknown' }));
      expect(response.status).toBe(200);
    }

    expect(identityLookups).toBe(1);
    expect(ephemerals.isDone()).toBe(true);
  });
});
