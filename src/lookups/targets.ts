/**
 * What a lookup looks up: the indicators in text an analyst pasted, or an alert's. Read by the Slack
 * listeners before they queue a lookup, so kept apart from the intel clients the worker runs.
 */
import type { Observable } from '../domain/finding';
import { addressClass, extractObservablesFromText } from '../findings/observables';
import type { AlertRecord } from '../domain/alert';
import type { LookupTarget } from '../domain/lookups';

/** Indicators looked up at once: each costs a request per service, and free API tiers are small. */
export const LOOKUP_TARGETS_MAX = 10;

/** The lookup target an observable makes, if any. */
function targetOf(observable: Observable): LookupTarget | undefined {
  switch (observable.dataType) {
    case 'ip':
    case 'url':
    case 'hash':
      return { dataType: observable.dataType, value: observable.data };
    case 'domain':
    case 'fqdn':
      return { dataType: 'domain', value: observable.data };
    default:
      return undefined;
  }
}

export interface TargetsFromText {
  targets: LookupTarget[];
  /** Values found but not looked up, with why. */
  skipped: { value: string; reason: string }[];
}

/** The indicators in pasted text (`hxxp://evil[.]com`, `1.2.3[.]4` included); private addresses are skipped. */
export function lookupTargetsFromText(text: string): TargetsFromText {
  const targets: LookupTarget[] = [];
  const skipped: TargetsFromText['skipped'] = [];
  for (const observable of extractObservablesFromText(text)) {
    const target = targetOf(observable);
    if (!target) continue;
    const kind = target.dataType === 'ip' ? addressClass(target.value) : undefined;
    if (kind && kind !== 'public') skipped.push({ value: target.value, reason: `${kind} address` });
    else if (targets.length >= LOOKUP_TARGETS_MAX)
      skipped.push({ value: target.value, reason: `over ${LOOKUP_TARGETS_MAX} per lookup` });
    else targets.push(target);
  }
  return { targets, skipped };
}

/** An alert's indicators (IOCs only, never context), at most LOOKUP_TARGETS_MAX. */
export function lookupTargetsOfAlert(alert: Pick<AlertRecord, 'finding'>): LookupTarget[] {
  const targets: LookupTarget[] = [];
  for (const observable of alert.finding.observables) {
    if (observable.ioc !== true) continue;
    const target = targetOf(observable);
    if (target && !targets.some((t) => t.dataType === target.dataType && t.value === target.value))
      targets.push(target);
    if (targets.length === LOOKUP_TARGETS_MAX) break;
  }
  return targets;
}
