import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAwsConfig } from '../../src/aws/config';
import { SecretUnavailableError, type SecretSource } from '../../src/aws/secrets';
import { ConfigError } from '../../src/config/config';

/** What `hivewire config -` prints for a YAML file: the parameter's value as the README has it stored. */
function configJson(yaml: string): string {
  const run = spawnSync(process.execPath, [join(__dirname, '../../bin/hivewire.js'), 'config', '-'], {
    input: yaml,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`hivewire config exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

function mapSource(values: Record<string, string>): SecretSource {
  return {
    async get(name) {
      const value = values[name];
      if (value === undefined) throw new Error('ParameterNotFound');
      return value;
    },
  };
}

/** The environment serverless.yml gives the slack function, deployed with the README's parameters only. */
const SLACK_FUNCTION_ENV = {
  TABLE_NAME: 'hivewire-test',
  JOBS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/hivewire-test-jobs',
  JOB_MAX_ATTEMPTS: '5',
  THEHIVE_URL: 'https://thehive.example.com/',
  THEHIVE_ORGANISATION: '',
  SLACK_ALERT_CHANNEL: 'C0SECOPS',
  SEVERITY_THRESHOLD: 'MEDIUM',
  HIVEWIRE_CONFIG_PARAM: '',
  HIVEWIRE_ORGANIZATIONS_LOOKUP: 'false',
  SLACK_BOT_TOKEN_PARAM: '/hivewire/test/slack-bot-token',
  SLACK_SIGNING_SECRET_PARAM: '/hivewire/test/slack-signing-secret',
};

const SECRETS = {
  '/hivewire/test/slack-bot-token': 'xoxb-test-token',
  '/hivewire/test/slack-signing-secret': 'test-signing-secret',
};

describe('loadAwsConfig', () => {
  it('builds the configuration from the environment and the secrets the function may read', async () => {
    const config = await loadAwsConfig(SLACK_FUNCTION_ENV, mapSource(SECRETS));
    expect(config.sandbox).toBe(false);
    expect(config.slack.botToken).toBe('xoxb-test-token');
    expect(config.slack.signingSecret).toBe('test-signing-secret');
    expect(config.slack.apiUrl).toBeUndefined();
    expect(config.theHive.url).toBe('https://thehive.example.com');
    // Empty template values mean "unset", not "the empty string".
    expect(config.theHive.organisation).toBeUndefined();
    expect(config.severityThreshold).toBe('MEDIUM');
    // Secrets this function may not read cannot authenticate anything.
    expect(config.ingestSecret).toMatch(/^unavailable-[0-9a-f]{48}$/);
    expect(config.theHive.webhookSecret).toMatch(/^unavailable-[0-9a-f]{48}$/);
    expect(config.theHive.apiKey).toMatch(/^unavailable-[0-9a-f]{48}$/);
  });

  it('refuses to start without an alert channel, naming the variable and the config file key', async () => {
    // The sandbox's channel does not exist in a real workspace: alerts would fail channel_not_found.
    await expect(
      loadAwsConfig({ ...SLACK_FUNCTION_ENV, SLACK_ALERT_CHANNEL: '' }, mapSource(SECRETS)),
    ).rejects.toThrow(
      new ConfigError(
        'SLACK_ALERT_CHANNEL: required when SLACK_BOT_TOKEN is set, unless the config file sets defaults.channel',
      ),
    );
  });

  it('refuses to start without THEHIVE_URL, naming it', async () => {
    await expect(
      loadAwsConfig({ ...SLACK_FUNCTION_ENV, THEHIVE_URL: '' }, mapSource(SECRETS)),
    ).rejects.toThrow(
      new ConfigError('THEHIVE_URL: required in AWS (deploy with --param="theHiveUrl=https://…")'),
    );
  });

  it('reads the config file, as `hivewire config` prints it, from the SSM parameter HIVEWIRE_CONFIG_PARAM names', async () => {
    const yaml = [
      'accounts:',
      '  "111122223333": { name: payments-prod, customer: acme }',
      'customers:',
      '  acme: { channel: C0ACME }',
      'defaults: { channel: C0SECOPS, severityThreshold: HIGH }',
    ].join('\n');
    const config = await loadAwsConfig(
      {
        ...SLACK_FUNCTION_ENV,
        // Left unset at deploy: the file's values apply.
        SLACK_ALERT_CHANNEL: '',
        SEVERITY_THRESHOLD: '',
        HIVEWIRE_CONFIG_PARAM: '/hivewire/test/config',
      },
      mapSource({ ...SECRETS, '/hivewire/test/config': configJson(yaml) }),
    );
    expect(config.file.accounts['111122223333']).toEqual({ name: 'payments-prod', customer: 'acme' });
    expect(config.file.customers.acme).toEqual({ channel: 'C0ACME' });
    expect(config.file.defaults).toEqual({
      channel: 'C0SECOPS',
      severityThreshold: 'HIGH',
      tlp: 2,
      pap: 2,
      customer: 'internal',
    });
    expect(config.slack.alertChannel).toBe('C0SECOPS');
    expect(config.severityThreshold).toBe('HIGH');
  });

  it('refuses a parameter holding YAML, saying how to store it', async () => {
    await expect(
      loadAwsConfig(
        { ...SLACK_FUNCTION_ENV, HIVEWIRE_CONFIG_PARAM: '/hivewire/test/config' },
        mapSource({ ...SECRETS, '/hivewire/test/config': 'defaults: { channel: C0SECOPS }' }),
      ),
    ).rejects.toThrow(
      new ConfigError(
        'HIVEWIRE_CONFIG_PARAM: SSM parameter /hivewire/test/config is not JSON; store the output of `hivewire config <file>`',
      ),
    );
  });

  it('names the parameter and the key of a bad value in the config file', async () => {
    await expect(
      loadAwsConfig(
        { ...SLACK_FUNCTION_ENV, HIVEWIRE_CONFIG_PARAM: '/hivewire/test/config' },
        mapSource({ ...SECRETS, '/hivewire/test/config': '{"defaults":{"tlp":7}}' }),
      ),
    ).rejects.toThrow(
      new ConfigError(
        'HIVEWIRE_CONFIG_PARAM (/hivewire/test/config): defaults.tlp: Too big: expected number to be <=4',
      ),
    );
  });

  it('names the config parameter when it cannot be read', async () => {
    const error = await loadAwsConfig(
      { ...SLACK_FUNCTION_ENV, HIVEWIRE_CONFIG_PARAM: '/hivewire/test/absent' },
      mapSource(SECRETS),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect((error as Error).message).toBe(
      'HIVEWIRE_CONFIG_PARAM: cannot read SSM parameter /hivewire/test/absent: ParameterNotFound',
    );
  });

  it('fails on a bad value with resolveConfig’s message naming the key', async () => {
    await expect(
      loadAwsConfig({ ...SLACK_FUNCTION_ENV, SEVERITY_THRESHOLD: 'SEVERE' }, mapSource(SECRETS)),
    ).rejects.toThrow(/^environment: SEVERITY_THRESHOLD: /);
  });
});

describe('loadAwsConfig, many customers', () => {
  const yaml = `customers:\n  beta:\n    slack: { team: T0BETA, channel: C0BETA }\n    thehive: { organisation: beta, apiKeySecret: /hivewire/test/thehive/beta }\n`;
  const oauthEnv = {
    ...SLACK_FUNCTION_ENV,
    HIVEWIRE_CONFIG_PARAM: '/hivewire/test/config',
    SLACK_CLIENT_ID: '1111.2222',
    PUBLIC_URL: 'https://hivewire.example.com',
    SLACK_CLIENT_SECRET_PARAM: '/hivewire/test/slack-client-secret',
    SLACK_STATE_SECRET_PARAM: '/hivewire/test/slack-state-secret',
    SLACK_INSTALLATION_KMS_KEY: 'arn:aws:kms:eu-west-1:123456789012:key/hivewire-installations',
  };
  const secrets = {
    ...SECRETS,
    '/hivewire/test/config': configJson(yaml),
    '/hivewire/test/slack-client-secret': 'client-secret-from-ssm',
    '/hivewire/test/slack-state-secret': 'state-secret-from-ssm-of-32-chars-at-least',
    '/hivewire/test/thehive-api-key': 'soc-key',
    '/hivewire/test/thehive/beta': 'beta-key-from-ssm',
  };

  it('the slack function: the OAuth install from SSM; no customer key (it calls no TheHive)', async () => {
    const config = await loadAwsConfig(oauthEnv, mapSource(secrets));
    expect(config.slack.oauth).toMatchObject({
      clientId: '1111.2222',
      clientSecret: 'client-secret-from-ssm',
      stateSecret: 'state-secret-from-ssm-of-32-chars-at-least',
      installationKey: {
        kind: 'kms',
        keyId: 'arn:aws:kms:eu-west-1:123456789012:key/hivewire-installations',
      },
    });
    expect(config.theHive.customerApiKeys.beta).toMatch(/^unavailable-[0-9a-f]{48}$/);
  });

  it('the worker: each customer’s TheHive key from the SSM parameter its apiKeySecret names', async () => {
    const config = await loadAwsConfig(
      { ...oauthEnv, THEHIVE_API_KEY_PARAM: '/hivewire/test/thehive-api-key' },
      mapSource(secrets),
    );
    expect(config.theHive.customerApiKeys).toEqual({ beta: 'beta-key-from-ssm' });
  });

  it('a customer key that cannot be read stops the worker, naming the parameter', async () => {
    const { '/hivewire/test/thehive/beta': _missing, ...without } = secrets;
    await expect(
      loadAwsConfig(
        { ...oauthEnv, THEHIVE_API_KEY_PARAM: '/hivewire/test/thehive-api-key' },
        mapSource(without),
      ),
    ).rejects.toThrow(/cannot read SSM parameter \/hivewire\/test\/thehive\/beta/);
  });
});
