/**
 * The account directory: which customer an AWS account belongs to and what it is called. The config
 * file's `accounts` map is the authority; AWS Organizations (optional) supplies the names it lacks.
 */
import type { ConfigFile } from '../config/config';

/** Who a finding belongs to. */
export interface AccountOwner {
  customer: string;
  /** Readable account name (`payments-prod`); absent when neither the config nor Organizations knows it. */
  accountName?: string;
}

/** The one Organizations call the directory makes (see `OrganizationsAccounts`). */
export interface AccountNameSource {
  /** The account's name, or undefined when the organization has no such account. */
  describeAccount(accountId: string): Promise<{ name?: string } | undefined>;
}

export interface AccountDirectoryOptions {
  config: ConfigFile;
  organizations?: AccountNameSource;
  /** How long a name found in Organizations is reused (default 6 h: names rarely change). */
  cacheTtlMs?: number;
  /** How long "no name" (account not found, access denied, throttled…) is reused (default 5 min). */
  negativeTtlMs?: number;
  /** Most accounts remembered at once; the oldest entry goes first (default 1000). */
  maxEntries?: number;
  now?: () => Date;
  /** Told when an Organizations lookup fails; the lookup itself then falls back to the bare id. */
  logger?: { warn(message: string, attributes: Record<string, string>): void };
}

export const DEFAULT_NAME_TTL_MS = 6 * 60 * 60 * 1000;
export const DEFAULT_NEGATIVE_TTL_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_ENTRIES = 1000;

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The owner of an account as the config file alone says: the account's entry (name, customer), the
 * customer defaulting to `defaults.customer`. No network; also what the offline CLI uses.
 */
export function configuredOwner(config: ConfigFile, accountId: string | undefined): AccountOwner {
  // `accounts` is a plain record keyed by attacker-influenced ids: never read inherited keys.
  const entry =
    accountId !== undefined && Object.prototype.hasOwnProperty.call(config.accounts, accountId)
      ? config.accounts[accountId]
      : undefined;
  const owner: AccountOwner = { customer: entry?.customer ?? config.defaults.customer };
  if (entry?.name !== undefined) owner.accountName = entry.name;
  return owner;
}

interface CachedName {
  name: Promise<string | undefined>;
  /** Infinity while the lookup is in flight: concurrent lookups share it. */
  expiresAt: number;
}

/**
 * Resolves account ids to customers and names. Never throws: an Organizations failure costs the
 * name (the alert shows the bare account id), not the finding.
 *
 * @example
 *   const directory = new AccountDirectory({ config: config.file, organizations: new OrganizationsAccounts() });
 *   await directory.lookup('111122223333'); // { customer: 'acme', accountName: 'payments-prod' }
 */
export class AccountDirectory {
  private readonly names = new Map<string, CachedName>();
  private readonly nameTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => Date;

  constructor(private readonly options: AccountDirectoryOptions) {
    this.nameTtlMs = options.cacheTtlMs ?? DEFAULT_NAME_TTL_MS;
    this.negativeTtlMs = options.negativeTtlMs ?? DEFAULT_NEGATIVE_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.now = options.now ?? (() => new Date());
  }

  /** The customer and name of an account; the default customer when the id is absent or unknown. */
  async lookup(accountId?: string): Promise<AccountOwner> {
    const owner = configuredOwner(this.options.config, accountId);
    if (owner.accountName !== undefined || accountId === undefined || !ACCOUNT_ID.test(accountId))
      return owner;
    const name = await this.nameFromOrganizations(accountId);
    return name === undefined ? owner : { ...owner, accountName: name };
  }

  private nameFromOrganizations(accountId: string): Promise<string | undefined> {
    const organizations = this.options.organizations;
    if (!organizations) return Promise.resolve(undefined);
    const cached = this.names.get(accountId);
    if (cached && cached.expiresAt > this.now().getTime()) return cached.name;

    const entry: CachedName = { name: Promise.resolve(undefined), expiresAt: Infinity };
    entry.name = organizations.describeAccount(accountId).then(
      (account) => {
        const name = account?.name || undefined;
        entry.expiresAt = this.now().getTime() + (name === undefined ? this.negativeTtlMs : this.nameTtlMs);
        return name;
      },
      (error: unknown) => {
        entry.expiresAt = this.now().getTime() + this.negativeTtlMs;
        this.options.logger?.warn('account name lookup failed: showing the bare account id', {
          accountId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return undefined;
      },
    );
    this.remember(accountId, entry);
    return entry.name;
  }

  private remember(accountId: string, entry: CachedName): void {
    // Re-inserting moves the key to the end, so the first key is always the least recently refreshed.
    this.names.delete(accountId);
    while (this.names.size >= this.maxEntries) {
      const oldest = this.names.keys().next().value;
      if (oldest === undefined) break;
      this.names.delete(oldest);
    }
    this.names.set(accountId, entry);
  }
}
