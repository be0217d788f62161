import nock from 'nock';
import { askAutomatically, asksAutomatically, personToAsk } from '../../src/triage/triage';
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
  let harness: AnalystHarness;
  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    harness = await startAnalystHarness(CONFIG);
  });
  afterEach(() => harness.close());

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
