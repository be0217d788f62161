import { maxAttemptsFrom } from '../../src/aws/config';
import { resolveIntelKeys } from '../../src/aws/worker-deps';
import type { SecretSource } from '../../src/aws/secrets';
import { ConfigError, defaultConfigFile, resolveConfig } from '../../src/config/config';
import { JOB_MAX_ATTEMPTS } from '../../src/local/runtime';

describe('maxAttemptsFrom', () => {
  const fromEnv = (value: string | undefined) =>
    maxAttemptsFrom(resolveConfig({ JOB_MAX_ATTEMPTS: value }, defaultConfigFile()));

  it('reads JOB_MAX_ATTEMPTS, which the template sets to the queues’ maxReceiveCount', () => {
    expect(fromEnv('5')).toBe(5);
  });

  it('matches the attempts the local queue makes, so a job gets as many tries in AWS as locally', () => {
    expect(fromEnv('5')).toBe(JOB_MAX_ATTEMPTS);
  });

  it('refuses a function without it, naming the variable', () => {
    expect(() => fromEnv(undefined)).toThrow(
      new ConfigError('JOB_MAX_ATTEMPTS: required in AWS, a whole number ≥ 1 (set by serverless.yml)'),
    );
  });

  it.each(['0', '2.5', 'five'])(
    'refuses %p with the rest of the environment, naming the variable',
    (value) => {
      expect(() => fromEnv(value)).toThrow(ConfigError);
      expect(() => fromEnv(value)).toThrow(/^environment: JOB_MAX_ATTEMPTS: /);
    },
  );
});

describe('resolveIntelKeys', () => {
  it('puts the keys it was given parameters for where the lookups read them, and no others', async () => {
    const reads: string[] = [];
    const source: SecretSource = {
      async get(name) {
        reads.push(name);
        return `key-of-${name}`;
      },
    };
    const env: NodeJS.ProcessEnv = {
      VIRUSTOTAL_API_KEY_PARAM: '/hivewire/test/virustotal',
      ABUSEIPDB_API_KEY_PARAM: '',
    };
    await resolveIntelKeys(env, source);
    expect(env).toEqual({
      VIRUSTOTAL_API_KEY_PARAM: '/hivewire/test/virustotal',
      ABUSEIPDB_API_KEY_PARAM: '',
      VIRUSTOTAL_API_KEY: 'key-of-/hivewire/test/virustotal',
    });
    expect(reads).toEqual(['/hivewire/test/virustotal']);
  });
});
