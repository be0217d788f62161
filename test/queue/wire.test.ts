/** A job's round trip across a process boundary (src/queue/wire.ts): what it keeps and what it refuses. */
import type { Job } from '../../src/queue/jobs';
import { InvalidJobError, wireCopy } from '../../src/queue/wire';

/** A Teams `@Hivewire lookup`, answered in its reply chain at `serviceUrl`. */
const teamsLookup = (serviceUrl: string): Job => ({
  kind: 'lookup',
  targets: [{ dataType: 'ip', value: '203.0.113.7' }],
  userId: '0ca201e0-0000-4000-8000-000000000003',
  reply: { to: 'chat', platform: 'teams', channel: 'a:personal-1', messageId: '1764064800000', serviceUrl },
  requestedAt: '2026-11-25T10:00:00.000Z',
});

describe('a Teams lookup job', () => {
  it('keeps the service URL its command came from', () => {
    const job = teamsLookup('https://smba.trafficmanager.net/emea/');
    expect(wireCopy(job)).toEqual(job);
  });

  it('refuses a service URL that is not http(s), naming the field', () => {
    expect(() => wireCopy(teamsLookup('file:///etc/passwd'))).toThrow(InvalidJobError);
    expect(() => wireCopy(teamsLookup('file:///etc/passwd'))).toThrow(/reply\.serviceUrl/);
  });
});
