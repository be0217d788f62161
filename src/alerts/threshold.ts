/**
 * `/hivewire threshold [LEVEL]`: everyone may read the severity threshold below which findings are
 * not posted; only Slack admins (users or members of admin user groups in the config file) may
 * change it. The value lives in the store; ingest reads it through a short-lived cache. In a customer's
 * own workspace (config `customers.<c>.slack.team`) the command reads and changes that customer's
 * threshold only.
 */
import type { ChatActorKind } from '../domain/audit';
import type { Deps } from '../wiring/deps';
import { SEVERITIES, type Severity } from '../domain/finding';
import { customerSettings } from '../enrich/tenancy';
import type { Store } from '../store/store';
import { isAllowed, type GroupMembers } from '../access/permissions';
import type { ThresholdChange, ThresholdView } from '../domain/threshold';

/** The store setting `/hivewire threshold` writes and ingest reads. */
export const THRESHOLD_SETTING = 'severityThreshold';

/**
 * How long ingest reuses the threshold it read. A change made with the command in this process clears
 * it at once; another process (another Lambda container, which cannot be told) keeps the value it read
 * for at most this long, so a change reaches every container within this time.
 */
export const THRESHOLD_CACHE_MS = 30_000;

/** The store setting of one customer's threshold, or of the provider's (no customer). */
export function thresholdSetting(customer?: string): string {
  return customer === undefined ? THRESHOLD_SETTING : `${THRESHOLD_SETTING}#${customer}`;
}

const thresholdCache = new WeakMap<Store, Map<string, { level: Severity | undefined; readAtMs: number }>>();

/**
 * The threshold set with the command, if any, as ingest needs it for every new finding: read from the
 * store at most once per THRESHOLD_CACHE_MS per store. With `customer`, the one set in that customer's
 * workspace.
 */
export async function thresholdOverride(
  deps: Pick<Deps, 'store' | 'now'>,
  customer?: string,
): Promise<Severity | undefined> {
  const nowMs = deps.now().getTime();
  const setting = thresholdSetting(customer);
  const cache = thresholdCache.get(deps.store) ?? new Map();
  thresholdCache.set(deps.store, cache);
  const cached = cache.get(setting);
  if (cached && nowMs - cached.readAtMs < THRESHOLD_CACHE_MS) return cached.level;
  const level = await deps.store.getSetting<Severity>(setting);
  cache.set(setting, { level, readAtMs: nowMs });
  return level;
}

/** Where the audit trail keeps settings changes (audit events are keyed like alerts). */
export const SETTINGS_AUDIT_KEY = 'settings';

const ALIASES: Record<string, Severity> = { INFO: 'INFORMATIONAL', CRIT: 'CRITICAL', MED: 'MEDIUM' };

/** A severity as typed in Slack (`high`, `HIGH`, `info`); undefined when it is none. */
export function parseSeverity(text: string): Severity | undefined {
  const upper = text.trim().toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(upper)) return upper as Severity;
  return ALIASES[upper];
}

/** Reads the threshold in force: the provider's, or with `customer` that customer's own. */
export async function readThreshold(
  deps: Pick<Deps, 'store' | 'config'>,
  customer?: string,
): Promise<ThresholdView> {
  if (customer !== undefined) {
    const stored = await deps.store.getSetting<Severity>(thresholdSetting(customer));
    const configured =
      customerSettings(deps.config, customer)?.severityThreshold ?? (await readThreshold(deps)).level;
    return stored && parseSeverity(stored)
      ? { level: stored, source: 'setting', configured, customers: [], customer }
      : { level: configured, source: 'config', configured, customers: [], customer };
  }
  const stored = await deps.store.getSetting<Severity>(THRESHOLD_SETTING);
  const configured = deps.config.severityThreshold;
  const customers = Object.entries(deps.config.file.customers)
    .filter(([, settings]) => settings.severityThreshold !== undefined)
    .map(([customer, settings]) => ({ customer, level: settings.severityThreshold as Severity }));
  return stored && parseSeverity(stored)
    ? { level: stored, source: 'setting', configured, customers }
    : { level: configured, source: 'config', configured, customers };
}

function customerDetail(customer: string | undefined): { customer?: string } {
  return customer === undefined ? {} : { customer };
}

/**
 * Changes the threshold (the provider's, or `customer`'s own) when the user is an admin; audited with
 * who, when, before and after.
 */
export async function changeThreshold(
  input: { level: Severity; userId: string; customer?: string },
  deps: Pick<Deps, 'store' | 'config'> & { members: GroupMembers },
): Promise<ThresholdChange> {
  const admins = { users: deps.config.slack.admins, groups: deps.config.slack.adminGroups };
  const allowed = await isAllowed(input.userId, admins, deps.members);
  return setThreshold(
    { level: input.level, customer: input.customer, actor: { kind: 'slack', id: input.userId }, allowed },
    deps,
  );
}

/**
 * Sets the threshold for a person whose right to was decided by their platform's admin list (Slack's
 * users and groups, Webex's ids and emails); a refusal is audited too.
 */
export async function setThreshold(
  input: { level: Severity; customer?: string; actor: { kind: ChatActorKind; id: string }; allowed: boolean },
  deps: Pick<Deps, 'store' | 'config'>,
): Promise<ThresholdChange> {
  if (!input.allowed) {
    await deps.store.appendAudit({
      fingerprint: SETTINGS_AUDIT_KEY,
      actor: input.actor,
      action: 'threshold-refused',
      details: { requested: input.level, ...customerDetail(input.customer) },
    });
    return { outcome: 'refused' };
  }
  const before = await readThreshold(deps, input.customer);
  if (before.level === input.level && before.source === 'setting')
    return { outcome: 'unchanged', level: input.level };
  await deps.store.putSetting(thresholdSetting(input.customer), input.level);
  thresholdCache.get(deps.store)?.delete(thresholdSetting(input.customer));
  await deps.store.appendAudit({
    fingerprint: SETTINGS_AUDIT_KEY,
    actor: input.actor,
    action: 'threshold-changed',
    details: { from: before.level, to: input.level, ...customerDetail(input.customer) },
  });
  return { outcome: 'changed', from: before.level, to: input.level };
}
