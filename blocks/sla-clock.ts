/**
 * The words of the SLA clocks, shared by the thread replies (`blocks/sla.ts`) and the alert's status
 * line (`blocks/alert.ts`), which cannot import each other's module without a cycle.
 */
import type { SlaClock, SlaRecord } from '../src/domain/sla';

/** `45 min`, `2 h 5 min`, `3 d 4 h`: waits and limits as people say them. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1440) {
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
  }
  const hours = Math.floor((minutes % 1440) / 60);
  return `${Math.floor(minutes / 1440)} d${hours ? ` ${hours} h` : ''}`;
}

export const LIMIT_NAMES: Record<SlaClock, string> = {
  acknowledge: 'time to acknowledge',
  resolve: 'time to resolve',
};

/** The status line's addition while a clock is past its limit. */
export function slaBreachLine(sla: SlaRecord | undefined): string {
  const breached = sla?.breached;
  return breached
    ? ` · 🚨 past its ${LIMIT_NAMES[breached.clock]} (${formatMinutes(breached.limitMinutes)})`
    : '';
}
