import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/config';
import { loadConfig, parseConfigFile } from '../../src/config/config-file';
import { AccountDirectory } from '../../src/enrich/directory';
import { enrichFinding, enrichFromConfig, routeFor } from '../../src/enrich/enrich';
import type { NormalisedFinding } from '../../src/domain/finding';
import { makeFinding } from '../helpers/alerts';

const CONFIG_FILE = `
accounts:
  "111122223333": { name: payments-prod, customer: acme }
  "444455556666": { customer: globex }
customers:
  acme: { channel: C0ACME, tlp: 3, pap: 1, caseTemplate: "AWS finding", severityThreshold: LOW }
  globex: { tlp: 1 }
defaults: { channel: C0SECOPS, tlp: 2, pap: 2, severityThreshold: HIGH, customer: internal, caseTemplate: Generic }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hivewire-enrich-'));
  writeFileSync(join(dir, 'hivewire.yml'), CONFIG_FILE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ HIVEWIRE_CONFIG: join(dir, 'hivewire.yml'), ...env });
}

/** The GuardDuty test finding as the normaliser hands it over: no customer yet. */
function normalised(overrides: Partial<NormalisedFinding> = {}): NormalisedFinding {
  const { customer: _customer, accountName: _accountName, ...finding } = makeFinding();
  return { ...finding, ...overrides };
}

describe('enrichFinding', () => {
  it('adds the customer and account name from the directory, leaving the finding as it was', async () => {
    const directory = new AccountDirectory({ config: parseConfigFile(CONFIG_FILE) });
    const finding = normalised({ accountId: '111122223333' });

    expect(await enrichFinding(finding, directory)).toEqual({
      ...finding,
      customer: 'acme',
      accountName: 'payments-prod',
    });
  });

  it('adds only the customer when the account has no name', async () => {
    const directory = new AccountDirectory({ config: parseConfigFile(CONFIG_FILE) });
    const enriched = await enrichFinding(normalised({ accountId: '444455556666' }), directory);

    expect(enriched.customer).toBe('globex');
    expect('accountName' in enriched).toBe(false);
  });

  it('gives a SIEM finding without an account the default customer', async () => {
    const directory = new AccountDirectory({ config: parseConfigFile(CONFIG_FILE) });
    const enriched = await enrichFinding(normalised({ source: 'siem', accountId: undefined }), directory);

    expect(enriched.customer).toBe('internal');
  });
});

describe('enrichFromConfig', () => {
  it('enriches from the config file alone, synchronously', () => {
    const finding = normalised({ accountId: '111122223333' });

    expect(enrichFromConfig(finding, parseConfigFile(CONFIG_FILE))).toEqual({
      ...finding,
      customer: 'acme',
      accountName: 'payments-prod',
    });
  });

  it('gives an unknown account the default customer and no name', () => {
    const enriched = enrichFromConfig(
      normalised({ accountId: '999999999999' }),
      parseConfigFile(CONFIG_FILE),
    );

    expect(enriched.customer).toBe('internal');
    expect('accountName' in enriched).toBe(false);
  });
});

describe('routeFor', () => {
  it("uses the customer's own settings", () => {
    expect(routeFor(makeFinding({ customer: 'acme' }), config())).toEqual({
      channel: 'C0ACME',
      tlp: 3,
      pap: 1,
      caseTemplate: 'AWS finding',
      severityThreshold: 'LOW',
    });
  });

  it('fills what the customer leaves out from defaults', () => {
    expect(routeFor(makeFinding({ customer: 'globex' }), config())).toEqual({
      channel: 'C0SECOPS',
      tlp: 1,
      pap: 2,
      caseTemplate: 'Generic',
      severityThreshold: 'HIGH',
    });
  });

  it('routes a customer missing from `customers` like the defaults', () => {
    expect(routeFor(makeFinding({ customer: 'internal' }), config())).toEqual({
      channel: 'C0SECOPS',
      tlp: 2,
      pap: 2,
      caseTemplate: 'Generic',
      severityThreshold: 'HIGH',
    });
  });

  it('lets SLACK_ALERT_CHANNEL and SEVERITY_THRESHOLD override the file defaults, not the customer', () => {
    const fromEnv = config({ SLACK_ALERT_CHANNEL: 'C0ENV', SEVERITY_THRESHOLD: 'CRITICAL' });

    expect(routeFor(makeFinding({ customer: 'globex' }), fromEnv)).toMatchObject({
      channel: 'C0ENV',
      severityThreshold: 'CRITICAL',
    });
    expect(routeFor(makeFinding({ customer: 'acme' }), fromEnv)).toMatchObject({
      channel: 'C0ACME',
      severityThreshold: 'LOW',
    });
  });

  it('falls back to the alert channel and MEDIUM when the config file is empty', () => {
    const bare = { ...config(), file: parseConfigFile(''), severityThreshold: 'MEDIUM' as const };
    bare.slack = { ...bare.slack, alertChannel: 'C0SANDBOX' };

    expect(routeFor(makeFinding({ customer: 'internal' }), bare)).toEqual({
      channel: 'C0SANDBOX',
      tlp: 2,
      pap: 2,
      severityThreshold: 'MEDIUM',
    });
  });

  it('applies the runtime threshold in place of the configured one, a customer threshold still winning', () => {
    expect(
      routeFor(makeFinding({ customer: 'globex' }), config(), { thresholdOverride: 'INFORMATIONAL' })
        .severityThreshold,
    ).toBe('INFORMATIONAL');
    expect(
      routeFor(makeFinding({ customer: 'acme' }), config(), { thresholdOverride: 'CRITICAL' })
        .severityThreshold,
    ).toBe('LOW');
  });

  it('ignores a missing or corrupt stored threshold', () => {
    expect(
      routeFor(makeFinding({ customer: 'globex' }), config(), { thresholdOverride: undefined })
        .severityThreshold,
    ).toBe('HIGH');
    expect(
      routeFor(makeFinding({ customer: 'globex' }), config(), { thresholdOverride: null }).severityThreshold,
    ).toBe('HIGH');
    expect(
      routeFor(makeFinding({ customer: 'globex' }), config(), {
        thresholdOverride: 'SEVERE' as unknown as 'HIGH',
      }).severityThreshold,
    ).toBe('HIGH');
  });

  it('does not treat inherited object keys as customers', () => {
    expect(routeFor(makeFinding({ customer: '__proto__' }), config()).channel).toBe('C0SECOPS');
    expect(routeFor(makeFinding({ customer: 'toString' }), config()).channel).toBe('C0SECOPS');
  });
});
