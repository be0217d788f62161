import nock from 'nock';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import {
  resolveSecrets,
  SECRET_MAX_AGE_SECONDS,
  SecretUnavailableError,
  secretsForConfig,
  ssmSecretSource,
  webexSecretsForConfig,
  type SecretSource,
} from '../../src/aws/secrets';

const SSM = 'https://ssm.us-east-1.amazonaws.com';

function mapSource(values: Record<string, string>): SecretSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async get(name) {
      reads.push(name);
      const value = values[name];
      if (value === undefined) throw new Error('ParameterNotFound');
      return value;
    },
  };
}

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('resolveSecrets', () => {
  it('fills each configuration variable from the parameter its *_PARAM names, and only those given', async () => {
    const source = mapSource({ '/hw/test/bot': 'xoxb-from-ssm', '/hw/test/signing': 'signing-from-ssm' });
    const resolved = await resolveSecrets(
      { SLACK_BOT_TOKEN_PARAM: '/hw/test/bot', SLACK_SIGNING_SECRET_PARAM: '/hw/test/signing', OTHER: 'x' },
      source,
    );
    expect(resolved).toEqual({ SLACK_BOT_TOKEN: 'xoxb-from-ssm', SLACK_SIGNING_SECRET: 'signing-from-ssm' });
    expect(source.reads.sort()).toEqual(['/hw/test/bot', '/hw/test/signing']);
  });

  it('names the variable and the parameter, never a value, when a parameter cannot be read', async () => {
    const source = mapSource({ '/hw/test/bot': 'xoxb-secret-value' });
    const error = await resolveSecrets(
      { SLACK_BOT_TOKEN_PARAM: '/hw/test/bot', INGEST_SECRET_PARAM: '/hw/test/missing' },
      source,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect((error as SecretUnavailableError).code).toBe('SECRET_UNAVAILABLE');
    expect((error as Error).message).toBe(
      'INGEST_SECRET: cannot read SSM parameter /hw/test/missing: ParameterNotFound',
    );
    expect((error as Error).message).not.toContain('xoxb-secret-value');
  });
});

describe('webexSecretsForConfig', () => {
  it('leaves Webex off when the function was given neither Webex secret', () => {
    expect(webexSecretsForConfig({})).toEqual({});
  });

  it('keeps the one given and fills the other with a stand-in, the same for the container’s life', () => {
    const worker = webexSecretsForConfig({ WEBEX_BOT_TOKEN: 'bot-token-from-ssm' });
    expect(worker.WEBEX_BOT_TOKEN).toBe('bot-token-from-ssm');
    expect(worker.WEBEX_WEBHOOK_SECRET).toMatch(/^unavailable-[0-9a-f]{48}$/);
    expect(webexSecretsForConfig({ WEBEX_BOT_TOKEN: 'bot-token-from-ssm' })).toEqual(worker);
    const route = webexSecretsForConfig({ WEBEX_WEBHOOK_SECRET: 'secret-from-ssm' });
    expect(route.WEBEX_WEBHOOK_SECRET).toBe('secret-from-ssm');
    expect(route.WEBEX_BOT_TOKEN).toMatch(/^unavailable-[0-9a-f]{48}$/);
  });
});

describe('secretsForConfig', () => {
  it('keeps resolved secrets and gives every other one an unguessable value, the same for the container’s life', () => {
    const first = secretsForConfig({ INGEST_SECRET: 'ingest-from-ssm' });
    const second = secretsForConfig({ INGEST_SECRET: 'ingest-from-ssm' });
    expect(first.INGEST_SECRET).toBe('ingest-from-ssm');
    expect(Object.keys(first).sort()).toEqual([
      'INGEST_SECRET',
      'SLACK_BOT_TOKEN',
      'SLACK_CLIENT_SECRET',
      'SLACK_SIGNING_SECRET',
      'SLACK_STATE_SECRET',
      'THEHIVE_API_KEY',
      'THEHIVE_WEBHOOK_SECRET',
    ]);
    expect(first.THEHIVE_WEBHOOK_SECRET).toMatch(/^unavailable-[0-9a-f]{48}$/);
    expect(first.SLACK_SIGNING_SECRET).toMatch(/^unavailable-[0-9a-f]{48}$/);
    expect(first.THEHIVE_WEBHOOK_SECRET).not.toBe(first.SLACK_SIGNING_SECRET);
    // A renewal that found nothing changed in SSM must produce the same configuration.
    expect(second).toEqual(first);
  });
});

/** SSM answering GetParameter for `name` with each of `values` in turn, once each. */
function ssmAnswers(name: string, values: string[]): nock.Scope {
  const scope = nock(SSM);
  values.forEach((value, index) =>
    scope
      .post('/', { Name: name, WithDecryption: true })
      .matchHeader('x-amz-target', 'AmazonSSM.GetParameter')
      .reply(
        200,
        { Parameter: { Name: name, Type: 'SecureString', Value: value, Version: index + 1 } },
        { 'content-type': 'application/x-amz-json-1.1' },
      ),
  );
  return scope;
}

describe('ssmSecretSource', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  it('reads a SecureString decrypted from SSM once and serves later reads from its cache', async () => {
    const bodies: unknown[] = [];
    const scope = nock(SSM)
      .post('/', (body: unknown) => {
        bodies.push(body);
        return true;
      })
      .matchHeader('x-amz-target', 'AmazonSSM.GetParameter')
      .once()
      .reply(
        200,
        { Parameter: { Name: '/hw/test/bot', Type: 'SecureString', Value: 'xoxb-from-ssm', Version: 1 } },
        { 'content-type': 'application/x-amz-json-1.1' },
      );
    const source = ssmSecretSource(new SSMProvider({ clientConfig: { region: 'us-east-1' } }));
    expect(await source.get('/hw/test/bot')).toBe('xoxb-from-ssm');
    expect(await source.get('/hw/test/bot')).toBe('xoxb-from-ssm');
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual([{ Name: '/hw/test/bot', WithDecryption: true }]);
  });

  it('reads a parameter again once its maxAge has passed, so a rotated secret is picked up without a deploy', async () => {
    const scope = ssmAnswers('/hw/test/signing', ['signing-before-rotation', 'signing-after-rotation']);
    const source = ssmSecretSource(new SSMProvider({ clientConfig: { region: 'us-east-1' } }));
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(start);
      expect(await source.get('/hw/test/signing')).toBe('signing-before-rotation');
      clock.mockReturnValue(start + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
      expect(await source.get('/hw/test/signing')).toBe('signing-before-rotation');
      expect(scope.pendingMocks()).toHaveLength(1);
      clock.mockReturnValue(start + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
      expect(await source.get('/hw/test/signing')).toBe('signing-after-rotation');
      expect(scope.isDone()).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });

  it('keeps a secret a few minutes at most', () => {
    expect(SECRET_MAX_AGE_SECONDS).toBeGreaterThanOrEqual(60);
    expect(SECRET_MAX_AGE_SECONDS).toBeLessThanOrEqual(15 * 60);
  });

  it('refuses an empty parameter value', async () => {
    nock(SSM)
      .post('/')
      .reply(
        200,
        { Parameter: { Name: '/hw/test/empty', Type: 'SecureString', Value: '', Version: 1 } },
        { 'content-type': 'application/x-amz-json-1.1' },
      );
    const source = ssmSecretSource(new SSMProvider({ clientConfig: { region: 'us-east-1' } }));
    await expect(source.get('/hw/test/empty')).rejects.toThrow('empty value');
  });
});
