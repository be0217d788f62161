/**
 * `hivewire audit <case-number|fingerprint>`: an alert's timeline from finding to case close, with the
 * Slack permalink and the TheHive case URL. It reaches the store through the endpoint the running
 * server records in the data directory (LevelDB allows one process per database), or opens it itself
 * when no server holds it.
 */
import { loadConfig } from './config-file';
import { openStore } from './store/embedded';
import type { AlertRecord, AuditEvent, Store } from './store/store';

function actorName(event: AuditEvent): string {
  switch (event.actor.kind) {
    case 'slack':
      return `slack:${event.actor.id}`;
    case 'thehive':
      return `thehive:${event.actor.id}`;
    case 'system':
      return 'system';
  }
}

function describe(event: AuditEvent): string {
  const d = event.details ?? {};
  switch (event.action) {
    case 'status-changed': {
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
    case 'received':
      return `finding received from ${String(d.source)} (${String(d.sourceId)})`;
    case 'posted':
      return `alert posted ${d.permalink ? String(d.permalink) : `in ${String(d.channel)}`}`;
    case 'case-created':
      return `case #${String(d.caseNumber)} created ${String(d.caseUrl)}`;
    default: {
      const { raw: _raw, ...rest } = d;
      return Object.keys(rest).length ? JSON.stringify(rest) : '';
    }
  }
}

async function findAlert(store: Store, key: string): Promise<AlertRecord | undefined> {
  const caseNumber = /^#?(\d+)$/.exec(key)?.[1];
  if (caseNumber) return store.findAlertByCase(Number(caseNumber));
  return (await store.getAlert(key)) ?? (await store.findAlertByCase(key));
}

/** Prints the timeline; resolves to the exit code (1 when nothing matches). */
export async function printAudit(key: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
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
    const lines = [
      `Alert ${alert.fingerprint}: ${alert.finding.title}`,
      `  state ${alert.state}${alert.caseNumber !== undefined ? ` · case #${alert.caseNumber}` : ''}`,
      alert.permalink ? `  Slack: ${alert.permalink}` : undefined,
      alert.caseUrl ? `  TheHive: ${alert.caseUrl}` : undefined,
      '',
      ...(await opened.store.listAudit(alert.fingerprint)).map(
        // An event with nothing to describe would end in the padding: no trailing spaces.
        (event) =>
          `${event.at}  ${event.action.padEnd(22)} ${actorName(event).padEnd(24)} ${describe(event)}`.trimEnd(),
      ),
    ].filter((line): line is string => line !== undefined);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
