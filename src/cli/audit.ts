/**
 * `hivewire audit <case-number|fingerprint> [--json]`: an alert's timeline from finding to case close,
 * with its current state, the Slack permalink and the TheHive case URL (rebuilt from today's
 * configuration), one readable line per event; `--json` gives the same for machines. It reaches the
 * store through the endpoint the running server records in the data directory (LevelDB allows one
 * process per database), or opens it itself when no server holds it.
 */
import { currentCaseUrl, currentPermalink, withCurrentLinks } from '../alerts/links';
import type { Config } from '../config/config';
import { loadConfig } from '../config/config-file';
import { openStore } from '../store/embedded';
import type { AlertRecord } from '../domain/alert';
import type { AuditEvent } from '../domain/audit';
import type { Store } from '../store/store';

type Details = Record<string, unknown>;

function actorName(event: AuditEvent): string {
  switch (event.actor.kind) {
    case 'slack':
      return `slack:${event.actor.id}`;
    case 'webex':
      return `webex:${event.actor.id}`;
    case 'teams':
      return `teams:${event.actor.id}`;
    case 'thehive':
      return `thehive:${event.actor.id}`;
    case 'system':
      return 'system';
  }
}

/** Where the alert stands now: the case's own state once there is a case (a closed case is closed). */
export function currentState(alert: AlertRecord): string {
  const theCase = alert.caseNumber !== undefined ? `case #${alert.caseNumber}` : 'the case';
  if (alert.case?.gone) return `${theCase} ${alert.case.gone} in TheHive`;
  if (alert.case) {
    const { stage, status, assignee } = alert.case;
    const detail = status && status !== stage ? ` (${status})` : '';
    return `${theCase} ${stage}${detail}${assignee ? `, assigned to ${assignee}` : ''}`;
  }
  switch (alert.state) {
    case 'open':
      return 'open, not escalated';
    case 'escalating':
      return 'escalating: the case is being created';
    case 'escalated':
      return `escalated to ${theCase}`;
    case 'ignored':
      // The alert keeps who, not on which platform: the trail's `ignored` event names the platform.
      return `ignored${alert.ignoredBy ? ` by ${alert.ignoredByName ?? alert.ignoredBy}` : ''}${alert.ignoreReason ? ` (${alert.ignoreReason})` : ''}`;
  }
}

/** A value in a sentence: text as it is, lists joined, anything else as `key value` pairs. */
function words(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(words).join(', ') : 'none';
  if (typeof value === 'object') return pairs(value as Details);
  return String(value);
}

function pairs(details: Details): string {
  return Object.entries(details)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${words(value)}`)
    .join(', ');
}

function caseChange(d: Details): string {
  const before = d.before as { status?: string; assignee?: string } | undefined;
  const after = d.after as { status?: string; assignee?: string; gone?: string } | undefined;
  if (after?.gone) return `case ${after.gone}`;
  const parts = [];
  if (before?.status !== after?.status)
    parts.push(`status ${before?.status ?? '—'} → ${after?.status ?? '—'}`);
  if (before?.assignee !== after?.assignee)
    parts.push(`assignee ${before?.assignee ?? '—'} → ${after?.assignee ?? '—'}`);
  return parts.join(', ') || 'case updated';
}

function change(d: Details, key: string): string | undefined {
  const value = d[key] as { before?: unknown; after?: unknown } | undefined;
  if (!value || value.before === value.after) return undefined;
  return `${key} ${words(value.before)} → ${words(value.after)}`;
}

/** A copied message of the case's conversation: who said what where, and both links. */
function conversationLine(action: string, d: Details, config: LinkConfig): string {
  const slack = (d.slack ?? {}) as Details;
  const theHive = (d.thehive ?? {}) as Details;
  const slackLink =
    typeof slack.permalink === 'string' ? currentPermalink(slack.permalink, config) : undefined;
  const links = `Slack ${slackLink ?? words(slack.ts)} ↔ TheHive comment ${words(theHive.commentId)} ${words(theHive.caseUrl)}`;
  if (action === 'conversation-to-slack')
    return `${words(d.author)} in TheHive: "${words(d.text)}" threaded in Slack (${links})`;
  const change = d.change === 'deleted' ? 'deleted' : d.change === 'edited' ? 'edited' : 'said';
  const text = d.change === 'deleted' ? '' : `: "${words(d.text)}"`;
  return `${words(d.author)} in Slack ${change}${text}, copied to TheHive (${links})`;
}

/** One event as a sentence; links in it are rebuilt from today's configuration. */
export function describeEvent(event: AuditEvent, config: LinkConfig): string {
  const { raw: _raw, ...d } = event.details ?? {};
  const permalink = typeof d.permalink === 'string' ? currentPermalink(d.permalink, config) : undefined;
  const caseUrl =
    event.caseId !== undefined && config.theHive.url
      ? currentCaseUrl(event.caseId, config)
      : typeof d.caseUrl === 'string'
        ? d.caseUrl
        : undefined;
  switch (event.action) {
    case 'status-changed':
      return caseChange(d);
    case 'not-posted':
      return `alert not posted to ${words(d.platform)} ${words(d.channel)}: ${words(d.reason)}`;
    case 'not-delivered':
      return `${words(d.what)} not delivered to ${words(d.platform)} ${words(d.channel)}: ${words(d.error)}`;
    case 'received':
      return `finding received from ${words(d.source)} (${words(d.sourceId)})`;
    case 'posted':
      // Webex posts audited before the fan-out (alerts/platforms.ts) named the space `room`.
      if (d.platform === 'webex') return `alert posted in Webex space ${words(d.channel ?? d.room)}`;
      if (d.platform === 'teams') return `alert posted in Teams channel ${words(d.channel)}`;
      return `alert posted ${permalink ?? `in ${words(d.channel)}`}`;
    case 'updated':
      return (
        ['count', 'severity', 'state']
          .map((key) => change(d, key))
          .filter(Boolean)
          .join(', ') || 'delivered again, nothing new'
      );
    case 'escalation-requested':
      return 'Create Case clicked';
    case 'case-created':
      return `case #${words(d.caseNumber)} created ${caseUrl ?? ''}`.trimEnd();
    case 'case-linked':
      return `case link threaded under the alert${permalink ? ` ${permalink}` : ''}`;
    case 'securityhub-notified':
      return `Security Hub finding marked NOTIFIED (${words(d.findingId)})`;
    case 'securityhub-workflow':
      return `Security Hub workflow set to ${words(d.status)}`;
    case 'ignored':
      return `ignored: ${words(d.reasonLabel ?? d.reason)}${d.note ? ` (${words(d.note)})` : ''}`;
    case 'error':
      return `failed at ${words(d.step)}: ${words(d.reason)}`;
    case 'conversation-to-thehive':
    case 'conversation-to-slack':
      return conversationLine(event.action, d, config);
    case 'sla-warning':
    case 'sla-breach':
    case 'sla-escalated':
    case 'sla-stopped':
      return `SLA ${words(d.tier)}: time to ${words(d.clock)}, ${words(d.waitedMinutes)} of ${words(d.limitMinutes)} min${d.calledOn ? `, calling on ${words(d.calledOn)}` : ''}`;
    case 'reported':
      return `reported to the SOC from Slack (${words(d.sourceRef)})${permalink ? ` ${permalink}` : ''}`;
    default:
      return pairs(d);
  }
}

type LinkConfig = Pick<Config, 'sandbox' | 'publicUrl' | 'theHive'>;

/** By case number: a case of the default organisation (`THEHIVE_ORGANISATION`). */
async function findAlert(store: Store, key: string, organisation?: string): Promise<AlertRecord | undefined> {
  const caseNumber = /^#?(\d+)$/.exec(key)?.[1];
  if (caseNumber) return store.findAlertByCase(Number(caseNumber), organisation);
  return (await store.getAlert(key)) ?? (await store.findAlertByCase(key));
}

function timeline(alert: AlertRecord, events: AuditEvent[], config: LinkConfig): string[] {
  const linked = withCurrentLinks(alert, config);
  return [
    `Alert ${alert.fingerprint}: ${alert.finding.title}`,
    `  state: ${currentState(alert)}`,
    linked.permalink ? `  Slack: ${linked.permalink}` : undefined,
    linked.caseUrl ? `  TheHive: ${linked.caseUrl}` : undefined,
    '',
    ...events.map(
      // An event with nothing to describe would end in the padding: no trailing spaces.
      (event) =>
        `${event.at}  ${event.action.padEnd(22)} ${actorName(event).padEnd(24)} ${describeEvent(event, config)}`.trimEnd(),
    ),
  ].filter((line): line is string => line !== undefined);
}

function timelineJson(alert: AlertRecord, events: AuditEvent[], config: LinkConfig): unknown {
  const linked = withCurrentLinks(alert, config);
  return {
    alert: {
      fingerprint: alert.fingerprint,
      title: alert.finding.title,
      severity: alert.severity,
      alertState: alert.state,
      state: currentState(alert),
      case: alert.case ?? null,
      caseId: alert.caseId ?? null,
      caseNumber: alert.caseNumber ?? null,
      permalink: linked.permalink ?? null,
      caseUrl: linked.caseUrl ?? null,
    },
    events: events.map((event) => {
      const { raw: _raw, ...details } = event.details ?? {};
      return {
        at: event.at,
        action: event.action,
        actor: event.actor,
        caseId: event.caseId ?? null,
        details,
        text: describeEvent(event, config),
      };
    }),
  };
}

/** Prints the timeline; resolves to the exit code (1 when nothing matches, 2 without a key). */
export async function printAudit(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const json = args.includes('--json');
  const key = args.find((arg) => arg !== '--json');
  if (!key) {
    process.stderr.write('hivewire audit: missing <case-number|fingerprint>\n');
    return 2;
  }
  const config = loadConfig(env);
  const opened = await openStore(config.dataDir);
  try {
    const alert = await findAlert(opened.store, key);
    if (!alert) {
      process.stderr.write(`hivewire audit: no alert or case matches ${key}\n`);
      return 1;
    }
    const events = await opened.store.listAudit(alert.fingerprint);
    process.stdout.write(
      json
        ? `${JSON.stringify(timelineJson(alert, events, config), null, 2)}\n`
        : `${timeline(alert, events, config).join('\n')}\n`,
    );
    return 0;
  } finally {
    await opened.close();
  }
}
