import nock from 'nock';
import {
  answerTriage,
  askAutomatically,
  asksAutomatically,
  personToAsk,
  siemMessage,
} from '../../src/triage/triage';
import { askedPerson, type TriageRecord } from '../../src/domain/triage';
import { parseConfigFile } from '../../src/config/config-file';
import { makeAlertRecord } from '../helpers/alerts';
import { startAnalystHarness, type AnalystHarness } from '../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const CONFIG = `
users:
  jdoe: jdoe@corp.example
triage:
  autoAsk: ['UnauthorizedAccess:IAMUser/*']
`;

/** A fresh analyst harness (store, queue, worker) for each test of the describe block; nothing leaves it. */
function harnessForEachTest(): AnalystHarness {
  let current: AnalystHarness | undefined;
  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    current = await startAnalystHarness(CONFIG);
  });
  afterEach(() => current?.close());
  return new Proxy({} as AnalystHarness, {
    get: (_target, key) => current![key as keyof AnalystHarness],
  });
}

describe('personToAsk', () => {
  const config = { file: parseConfigFile(CONFIG) } as Parameters<typeof personToAsk>[1];

  it('trusts an e-mail the finding names (high), then the users map (moderate), and names who has none', () => {
    expect(personToAsk({ actor: { name: 'jdoe', email: 'john@example.com' } }, config)).toEqual({
      found: true,
      name: 'jdoe',
      email: 'john@example.com',
      identityConfidence: 'high',
    });
    expect(personToAsk({ actor: { name: 'jdoe' } }, config)).toEqual({
      found: true,
      name: 'jdoe',
      email: 'jdoe@corp.example',
      identityConfidence: 'moderate',
    });
    expect(personToAsk({ actor: { name: 'root' } }, config)).toEqual({
      found: false,
      problem: 'no-email',
      name: 'root',
    });
    expect(personToAsk({}, config)).toEqual({ found: false, problem: 'no-person' });
  });

  it('asks automatically only for configured finding types about a person', () => {
    expect(
      asksAutomatically({ type: 'UnauthorizedAccess:IAMUser/TorIPCaller', actor: { name: 'jdoe' } }, config),
    ).toBe(true);
    expect(asksAutomatically({ type: 'UnauthorizedAccess:IAMUser/TorIPCaller' }, config)).toBe(false);
    expect(
      asksAutomatically({ type: 'Recon:EC2/PortProbeUnprotectedPort', actor: { name: 'jdoe' } }, config),
    ).toBe(false);
  });
});

describe('askAutomatically', () => {
  const harness = harnessForEachTest();

  it('queues the question for an open alert of a configured type, once', async () => {
    const alert = makeAlertRecord();
    await harness.seedAlert(alert);
    const first = await askAutomatically(alert, harness.deps);
    const second = await askAutomatically(alert, harness.deps);
    expect(first).toMatchObject({ outcome: 'requested' });
    expect(second).toMatchObject({ outcome: 'pending' });
    expect(harness.jobs).toEqual([
      {
        kind: 'triage-ask',
        triageId: first?.outcome === 'requested' ? first.triageId : '',
        request: { origin: 'alert', fingerprint: alert.fingerprint, requestedBy: 'auto' },
        requestedAt: harness.clock.now.toISOString(),
      },
    ]);
  });

  it('does nothing for other types', async () => {
    const alert = makeAlertRecord({ finding: { type: 'Recon:EC2/PortProbeUnprotectedPort' } });
    await harness.seedAlert(alert);
    await expect(askAutomatically(alert, harness.deps)).resolves.toBeUndefined();
    expect(harness.jobs).toEqual([]);
  });
});

describe('a question recorded before questions named a platform-neutral person', () => {
  const harness = harnessForEachTest();

  /** A record as the store held it before `person`: the Slack user in `slackUserId`. */
  const legacy: TriageRecord = {
    id: 'legacy-1',
    origin: 'alert',
    alertName: 'Console login from a new country',
    summary: 'jdoe signed in from an unusual place.',
    email: 'jdoe@corp.example',
    identityConfidence: 'high',
    requestedBy: 'U0ANALYST',
    requestedAt: '2026-12-04T10:00:00.000Z',
    timeoutMinutes: 60,
    state: 'asked',
    slackUserId: 'U0JDOE',
    channel: 'D0JDOE',
    ts: '1764065000.000100',
    done: { asked: true, scheduled: true },
  };

  it('is read as a question put to that Slack user', () => {
    expect(askedPerson(legacy)).toEqual({ platform: 'slack', id: 'U0JDOE' });
    expect(askedPerson({ ...legacy, team: 'T0ACME' })).toEqual({
      platform: 'slack',
      id: 'U0JDOE',
      workspace: 'T0ACME',
    });
    expect(siemMessage(legacy)).toMatchObject({ user: { email: 'jdoe@corp.example', slack: 'U0JDOE' } });
  });

  it('is answered by that Slack user only, not by the same id from another platform', async () => {
    await harness.deps.store.putSetting(`triage:${legacy.id}`, legacy);
    const answer = (userId: string, platform: 'slack' | 'webex') =>
      answerTriage({ triageId: legacy.id, response: 'yes', userId, platform, team: undefined }, harness.deps);

    await expect(answer('U0JDOE', 'webex')).resolves.toMatchObject({ outcome: 'not-yours' });
    await expect(answer('U0OTHER', 'slack')).resolves.toMatchObject({ outcome: 'not-yours' });
    await expect(answer('U0JDOE', 'slack')).resolves.toMatchObject({ outcome: 'recorded' });
    expect(harness.jobs).toEqual([{ kind: 'triage-followup', triageId: legacy.id }]);
  });
});
