import { parseConfigFile } from '../../src/config/config-file';
import { AccountDirectory, configuredOwner, type AccountNameSource } from '../../src/enrich/directory';

const CONFIG = parseConfigFile(`
accounts:
  "111122223333": { name: payments-prod, customer: acme }
  "444455556666": { customer: globex }
  "012345678910": { name: legacy-shared }
defaults: { customer: internal }
`);

/** An Organizations stand-in that records each call and answers from a script. */
class ScriptedOrganizations implements AccountNameSource {
  calls: string[] = [];
  constructor(private readonly answer: (accountId: string) => Promise<{ name?: string } | undefined>) {}
  describeAccount(accountId: string) {
    this.calls.push(accountId);
    return this.answer(accountId);
  }
}

function clock(start = Date.parse('2026-11-25T10:00:00.000Z')) {
  let ms = start;
  return {
    now: () => new Date(ms),
    advance: (by: number) => {
      ms += by;
    },
  };
}

describe('configuredOwner', () => {
  it('gives the name and customer of an account in the config file', () => {
    expect(configuredOwner(CONFIG, '111122223333')).toEqual({
      customer: 'acme',
      accountName: 'payments-prod',
    });
  });

  it('keeps leading zeros: the account id is a string key', () => {
    expect(configuredOwner(CONFIG, '012345678910')).toEqual({
      customer: 'internal',
      accountName: 'legacy-shared',
    });
  });

  it('falls back to the default customer for an unknown or absent account', () => {
    expect(configuredOwner(CONFIG, '999999999999')).toEqual({ customer: 'internal' });
    expect(configuredOwner(CONFIG, undefined)).toEqual({ customer: 'internal' });
  });

  it('does not read inherited keys for an attacker-chosen account id', () => {
    expect(configuredOwner(CONFIG, '__proto__')).toEqual({ customer: 'internal' });
    expect(configuredOwner(CONFIG, 'constructor')).toEqual({ customer: 'internal' });
  });
});

describe('AccountDirectory', () => {
  it('answers from the config without asking Organizations when the config names the account', async () => {
    const organizations = new ScriptedOrganizations(async () => ({ name: 'from-organizations' }));
    const directory = new AccountDirectory({ config: CONFIG, organizations });

    expect(await directory.lookup('111122223333')).toEqual({
      customer: 'acme',
      accountName: 'payments-prod',
    });
    expect(organizations.calls).toEqual([]);
  });

  it('takes the name from Organizations and the customer from the config', async () => {
    const organizations = new ScriptedOrganizations(async () => ({ name: 'globex-prod' }));
    const directory = new AccountDirectory({ config: CONFIG, organizations });

    expect(await directory.lookup('444455556666')).toEqual({
      customer: 'globex',
      accountName: 'globex-prod',
    });
    expect(organizations.calls).toEqual(['444455556666']);
  });

  it('gives the default customer and no name without Organizations', async () => {
    const directory = new AccountDirectory({ config: CONFIG });
    expect(await directory.lookup('444455556666')).toEqual({ customer: 'globex' });
    expect(await directory.lookup('999999999999')).toEqual({ customer: 'internal' });
    expect(await directory.lookup()).toEqual({ customer: 'internal' });
  });

  it('never asks Organizations about something that is not a 12-digit account id', async () => {
    const organizations = new ScriptedOrganizations(async () => ({ name: 'x' }));
    const directory = new AccountDirectory({ config: CONFIG, organizations });

    expect(await directory.lookup('1234')).toEqual({ customer: 'internal' });
    expect(await directory.lookup('11112222333a')).toEqual({ customer: 'internal' });
    expect(await directory.lookup()).toEqual({ customer: 'internal' });
    expect(organizations.calls).toEqual([]);
  });

  it('reuses a name until the cache time has passed, then asks again', async () => {
    const time = clock();
    let name = 'sandbox-1';
    const organizations = new ScriptedOrganizations(async () => ({ name }));
    const directory = new AccountDirectory({
      config: CONFIG,
      organizations,
      cacheTtlMs: 60_000,
      now: time.now,
    });

    expect(await directory.lookup('999999999999')).toEqual({
      customer: 'internal',
      accountName: 'sandbox-1',
    });
    name = 'sandbox-renamed';
    time.advance(59_999);
    expect(await directory.lookup('999999999999')).toEqual({
      customer: 'internal',
      accountName: 'sandbox-1',
    });
    time.advance(1);
    expect(await directory.lookup('999999999999')).toEqual({
      customer: 'internal',
      accountName: 'sandbox-renamed',
    });
    expect(organizations.calls).toEqual(['999999999999', '999999999999']);
  });

  it('caches "no such account" for the short negative time', async () => {
    const time = clock();
    const organizations = new ScriptedOrganizations(async () => undefined);
    const directory = new AccountDirectory({
      config: CONFIG,
      organizations,
      cacheTtlMs: 3_600_000,
      negativeTtlMs: 300_000,
      now: time.now,
    });

    expect(await directory.lookup('999999999999')).toEqual({ customer: 'internal' });
    time.advance(299_999);
    expect(await directory.lookup('999999999999')).toEqual({ customer: 'internal' });
    expect(organizations.calls).toEqual(['999999999999']);
    time.advance(1);
    await directory.lookup('999999999999');
    expect(organizations.calls).toEqual(['999999999999', '999999999999']);
  });

  it('treats an account without a name as no name, cached briefly', async () => {
    const time = clock();
    const organizations = new ScriptedOrganizations(async () => ({}));
    const directory = new AccountDirectory({
      config: CONFIG,
      organizations,
      negativeTtlMs: 1_000,
      now: time.now,
    });

    expect(await directory.lookup('999999999999')).toEqual({ customer: 'internal' });
    time.advance(1_000);
    await directory.lookup('999999999999');
    expect(organizations.calls).toEqual(['999999999999', '999999999999']);
  });

  it('falls back to the bare id on AccessDenied, logs it, caches it briefly and never throws', async () => {
    const time = clock();
    const denied = Object.assign(new Error('You don’t have permissions to access this resource.'), {
      name: 'AccessDeniedException',
    });
    const organizations = new ScriptedOrganizations(async () => {
      throw denied;
    });
    const warnings: { message: string; attributes: unknown }[] = [];
    const directory = new AccountDirectory({
      config: CONFIG,
      organizations,
      negativeTtlMs: 300_000,
      now: time.now,
      logger: {
        warn: (message, attributes) => {
          warnings.push({ message, attributes });
        },
      },
    });

    expect(await directory.lookup('444455556666')).toEqual({ customer: 'globex' });
    expect(await directory.lookup('444455556666')).toEqual({ customer: 'globex' });
    expect(organizations.calls).toEqual(['444455556666']);
    expect(warnings).toEqual([
      {
        message: 'account name lookup failed: showing the bare account id',
        attributes: {
          accountId: '444455556666',
          error: 'AccessDeniedException: You don’t have permissions to access this resource.',
        },
      },
    ]);
    time.advance(300_000);
    await directory.lookup('444455556666');
    expect(organizations.calls).toEqual(['444455556666', '444455556666']);
  });

  it('shares one Organizations call between concurrent lookups of the same account', async () => {
    let release: (value: { name: string }) => void = () => undefined;
    const organizations = new ScriptedOrganizations(
      () => new Promise<{ name: string }>((resolve) => (release = resolve)),
    );
    const directory = new AccountDirectory({ config: CONFIG, organizations });

    const first = directory.lookup('999999999999');
    const second = directory.lookup('999999999999');
    release({ name: 'shared' });

    expect(await Promise.all([first, second])).toEqual([
      { customer: 'internal', accountName: 'shared' },
      { customer: 'internal', accountName: 'shared' },
    ]);
    expect(organizations.calls).toEqual(['999999999999']);
  });

  it('forgets the least recently refreshed account when full', async () => {
    const organizations = new ScriptedOrganizations(async (accountId) => ({ name: `name-${accountId}` }));
    const directory = new AccountDirectory({ config: CONFIG, organizations, maxEntries: 2 });

    await directory.lookup('000000000001');
    await directory.lookup('000000000002');
    await directory.lookup('000000000003');
    await directory.lookup('000000000002');
    await directory.lookup('000000000001');

    expect(organizations.calls).toEqual(['000000000001', '000000000002', '000000000003', '000000000001']);
  });
});
