/** Webex's configuration: on with a bot token (then the webhook secret is required), on in the sandbox. */
import {
  checkConfigFile,
  ConfigError,
  defaultConfigFile,
  resolveConfig,
  SANDBOX_DEFAULTS,
} from '../../src/config/config';

const REAL = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 's',
  SLACK_ALERT_CHANNEL: 'C0SECOPS',
  THEHIVE_URL: 'https://thehive.example',
  THEHIVE_API_KEY: 'k',
  THEHIVE_WEBHOOK_SECRET: 'w',
  INGEST_SECRET: 'i',
};

describe('Webex configuration', () => {
  it('is off for a real Slack deployment without a Webex token', () => {
    expect(resolveConfig(REAL, defaultConfigFile()).webex).toBeUndefined();
  });

  it('needs the webhook secret with a bot token, and takes the room from the environment before the file', () => {
    expect(() => resolveConfig({ ...REAL, WEBEX_BOT_TOKEN: 't' }, defaultConfigFile())).toThrow(
      new ConfigError('WEBEX_WEBHOOK_SECRET: required when WEBEX_BOT_TOKEN is set'),
    );
    const file = checkConfigFile({
      defaults: { webex: { room: 'ROOM-FILE' } },
      webex: { admins: ['bob@example.com'] },
    });
    const config = resolveConfig({ ...REAL, WEBEX_BOT_TOKEN: 't', WEBEX_WEBHOOK_SECRET: 'ws' }, file);
    expect(config.webex).toEqual({
      botToken: 't',
      webhookSecret: 'ws',
      defaultRoom: 'ROOM-FILE',
      apiUrl: undefined,
      admins: ['bob@example.com'],
    });
    expect(
      resolveConfig(
        { ...REAL, WEBEX_BOT_TOKEN: 't', WEBEX_WEBHOOK_SECRET: 'ws', WEBEX_ROOM_ID: 'ROOM-ENV' },
        file,
      ).webex?.defaultRoom,
    ).toBe('ROOM-ENV');
  });

  it('runs against the stand-in in the sandbox, with documented values', () => {
    expect(resolveConfig({ PORT: '3999' }, defaultConfigFile()).webex).toEqual({
      botToken: SANDBOX_DEFAULTS.webexBotToken,
      webhookSecret: SANDBOX_DEFAULTS.webexWebhookSecret,
      defaultRoom: SANDBOX_DEFAULTS.webexRoomId,
      apiUrl: 'http://localhost:3999/sandbox/webex/v1',
      admins: [],
    });
  });

  it('reads a customer’s room, and refuses an admin that is neither a person id nor an email', () => {
    expect(checkConfigFile({ customers: { acme: { webex: { room: 'R1' } } } }).customers.acme?.webex).toEqual(
      { room: 'R1' },
    );
    expect(() => checkConfigFile({ webex: { admins: ['alice'] } })).toThrow(/webex\.admins\.0/);
    expect(() => checkConfigFile({ customers: { acme: { webex: { space: 'R1' } } } })).toThrow(
      /customers\.acme\.webex\.space: unknown key/,
    );
  });
});
