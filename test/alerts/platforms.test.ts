/** Where a customer's alerts go besides Slack, from the config file's `webex` and `teams` routes. */
import { routedPlatforms } from '../../src/alerts/platforms';
import { parseConfigFile } from '../../src/config/config-file';

const WEBEX = { botToken: 'token', webhookSecret: 'secret', defaultRoom: 'ROOM-DEFAULT', admins: [] };

const file = parseConfigFile(`
defaults:
  teams: { team: '19:provider@thread.tacv2', channel: '19:provider-alerts@thread.tacv2' }
customers:
  acme:
    webex: { room: ROOM-ACME }
    teams: { team: '19:acme@thread.tacv2', channel: '19:acme-alerts@thread.tacv2' }
  beta: {}
`);

describe('routedPlatforms', () => {
  it("names a customer's own Webex space and Teams channel", () => {
    expect(routedPlatforms('acme', { webex: WEBEX, file })).toEqual([
      { platform: 'webex', channel: 'ROOM-ACME' },
      { platform: 'teams', channel: '19:acme-alerts@thread.tacv2' },
    ]);
  });

  it('falls back to the defaults for a customer without its own, and for one the config does not know', () => {
    for (const customer of ['beta', 'toString', 'unknown'])
      expect(routedPlatforms(customer, { webex: WEBEX, file })).toEqual([
        { platform: 'webex', channel: 'ROOM-DEFAULT' },
        { platform: 'teams', channel: '19:provider-alerts@thread.tacv2' },
      ]);
  });

  it('routes nothing to Webex without a bot token, whatever the file says', () => {
    expect(routedPlatforms('acme', { webex: undefined, file })).toEqual([
      { platform: 'teams', channel: '19:acme-alerts@thread.tacv2' },
    ]);
  });

  it('refuses a Teams route without its channel, naming the field', () => {
    expect(() => parseConfigFile('customers:\n  acme:\n    teams: { team: x }\n', 'x.yml')).toThrow(
      /customers\.acme\.teams\.channel/,
    );
  });
});
