/**
 * The `hivewire` command.
 *
 *   hivewire render [--chat slack|webex|teams] <file|->  the alert(s) for an event, as JSON (no network)
 *   hivewire case-request [--requested-by U…] [--permalink URL] <file|->
 *                                   the TheHive requests "Create Case" would send (no network)
 *   hivewire serve                  the bot, locally (sandbox when no Slack token is configured)
 *   hivewire audit <case|fingerprint>  the audit timeline, also while `serve` runs
 *   hivewire config <file|->        a config file checked, as the JSON kept in SSM for AWS
 *   hivewire webex-webhooks [--target-url URL]  registers the Webex bot's webhooks (idempotent)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseJsonText } from '../validation/json';
import { newAlertRecord } from '../alerts/ingest';
import { renderAlert, renderTeamsAlert, renderWebexAlert } from '../alerts/render';
import { caseRequests } from '../cases/case-content';
import { ConfigError, type Config } from '../config/config';
import { ConfigSyntaxError, loadConfig, parseConfigFile } from '../config/config-file';
import { enrichFromConfig, routeFor } from '../enrich/enrich';
import { parseEvent } from '../findings/parse';
import type { Finding } from '../domain/finding';
import type { AlertRecord } from '../domain/alert';

const USAGE = `Usage:
  hivewire render [--chat slack|webex|teams] <file|->
                                     print the alert(s) for an event as JSON, as that chat shows them
  hivewire case-request [--requested-by <Slack user id>] [--permalink <Slack alert URL>] <file|->
                                     print the TheHive requests "Create Case" would send
  hivewire serve [--sandbox-samples] run the bot locally (sandbox when SLACK_BOT_TOKEN is unset)
  hivewire audit <case-number|fingerprint> [--json]  print an alert's audit timeline
  hivewire config <file|->           check a config file (YAML or JSON) and print it as JSON for SSM
  hivewire webex-webhooks [--target-url <URL>]
                                     register the Webex bot's webhooks for <URL> (default PUBLIC_URL/webex/events)`;

class UsageError extends Error {}

function readInput(target: string | undefined): string {
  if (!target) throw new UsageError('missing <file|->');
  return readFileSync(target === '-' ? 0 : target, 'utf8');
}

/** The configuration the offline commands use: the config file and routing settings, nothing secret. */
function offlineConfig(env: NodeJS.ProcessEnv): Config {
  return loadConfig({
    HIVEWIRE_CONFIG: env.HIVEWIRE_CONFIG,
    SEVERITY_THRESHOLD: env.SEVERITY_THRESHOLD,
    SLACK_ALERT_CHANNEL: env.SLACK_ALERT_CHANNEL,
    THEHIVE_URL: env.THEHIVE_URL,
  });
}

function readEvent(target: string | undefined): { event?: unknown; error?: string } {
  let text: string;
  try {
    text = readInput(target);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return { error: `cannot read ${target}: ${(error as Error).message}` };
  }
  // The same limits as the routes: a file nested thousands of levels deep would overflow the stack later.
  const parsed = parseJsonText(text);
  return parsed.ok
    ? { event: parsed.value }
    : { error: `${target === '-' ? 'stdin' : target}: ${parsed.error}` };
}

/** Findings of an event as transient (never stored) alert records, routed and enriched from config only. */
function offlineAlerts(event: unknown, config: Config) {
  const parsed = parseEvent(event);
  const alerts = parsed.findings.map((normalised) => {
    const finding: Finding = enrichFromConfig(normalised, config.file);
    const route = routeFor(finding, config);
    return {
      finding,
      route,
      record: {
        ...newAlertRecord(finding, route.channel, new Date(finding.updatedAt || Date.now())),
        version: 0,
      } as AlertRecord,
    };
  });
  return { alerts, skipped: parsed.skipped, rejected: parsed.rejected };
}

/**
 * One rule for every command that reads an event (unreadable input is 2, decided before): 0 when at
 * least one finding was accepted, 1 when none was (all rejected or skipped, each named in the JSON).
 */
function exitCode(accepted: number): number {
  return accepted > 0 ? 0 : 1;
}

/** `render`'s arguments: the file and the chat platform whose message to print (Slack by default). */
function renderArgs(args: string[]): { target: string | undefined; chat: 'slack' | 'webex' | 'teams' } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { chat: { type: 'string', default: 'slack' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const chat = parsed.values.chat;
  if (chat !== 'slack' && chat !== 'webex' && chat !== 'teams')
    throw new UsageError(`--chat: expected slack, webex or teams, got ${chat}`);
  return { target: parsed.positionals[0], chat };
}

function render(args: string[], env: NodeJS.ProcessEnv): number {
  const { target, chat } = renderArgs(args);
  const config = offlineConfig(env);
  const { event, error } = readEvent(target);
  if (error) {
    process.stderr.write(`hivewire render: ${error}\n`);
    return 2;
  }
  const { alerts, skipped, rejected } = offlineAlerts(event, config);
  const output = {
    findings: alerts.map(({ finding, record }) => {
      const slack = chat === 'slack' ? renderAlert(record, config) : undefined;
      return {
        fingerprint: finding.fingerprint,
        source: finding.source,
        severity: finding.severity,
        title: finding.title,
        // (contract) every key is present: a SIEM finding has no account, shown as null.
        accountId: finding.accountId ?? null,
        customer: finding.customer,
        observables: finding.observables.map(({ dataType, data }) => ({ dataType, data })),
        message: slack
          ? { text: slack.text, blocks: slack.blocks }
          : chat === 'webex'
            ? renderWebexAlert(record, config)
            : renderTeamsAlert(record, config),
      };
    }),
    skipped,
    rejected,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  return exitCode(alerts.length);
}

/**
 * What the worker sends for a click by `--requested-by` on the alert posted at `--permalink`: both are
 * known only once the alert is in Slack, so without them the description holds `{requestedBy}` and no
 * Slack link.
 */
function caseRequest(args: string[], env: NodeJS.ProcessEnv): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'requested-by': { type: 'string' }, permalink: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const target = positionals[0];
  const config = offlineConfig(env);
  const { event, error } = readEvent(target);
  if (error) {
    process.stderr.write(`hivewire case-request: ${error}\n`);
    return 2;
  }
  const { alerts, skipped, rejected } = offlineAlerts(event, config);
  const requests = alerts.flatMap(({ record, route }) =>
    caseRequests(
      { ...record, ...(values.permalink ? { permalink: values.permalink } : {}) },
      { tlp: route.tlp, pap: route.pap, caseTemplate: route.caseTemplate },
      values['requested-by'] ?? '{requestedBy}',
    ),
  );
  process.stdout.write(`${JSON.stringify({ requests, skipped, rejected }, null, 2)}\n`);
  return exitCode(alerts.length);
}

/**
 * Checks a config file and prints it as one line of JSON: what the AWS functions read from the SSM
 * parameter `configParam` names, with every default filled in. Exit 2 when the file cannot be read or
 * is not YAML/JSON, 1 when its content is refused (stdout stays empty: nothing to store).
 */
function configJson(target: string | undefined): number {
  let text: string;
  try {
    text = readInput(target);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    process.stderr.write(`hivewire config: cannot read ${target}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${JSON.stringify(parseConfigFile(text, target === '-' ? 'stdin' : target))}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`hivewire config: ${error.message}\n`);
    return error instanceof ConfigSyntaxError ? 2 : 1;
  }
}

/**
 * Points the Webex bot's webhooks at the deployed route (API Gateway's URL, or this server's), with
 * WEBEX_BOT_TOKEN and WEBEX_WEBHOOK_SECRET from the environment; prints what it created or updated.
 */
async function webexWebhooks(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { 'target-url': { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const config = loadConfig(env);
  if (!config.webex || !env.WEBEX_BOT_TOKEN) {
    process.stderr.write('hivewire webex-webhooks: WEBEX_BOT_TOKEN and WEBEX_WEBHOOK_SECRET must be set\n');
    return 1;
  }
  const targetUrl = parsed.values['target-url'] ?? `${config.publicUrl}/webex/events`;
  const { webexClientFor } = await import('../chat/webex/adapter');
  const { registerWebexWebhooks } = await import('../chat/webex/webhooks');
  const registered = await registerWebexWebhooks(webexClientFor(config), {
    targetUrl,
    secret: config.webex.webhookSecret,
  });
  process.stdout.write(`${JSON.stringify({ targetUrl, webhooks: registered }, null, 2)}\n`);
  return 0;
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'render':
        return render(args, env);
      case 'case-request':
        return caseRequest(args, env);
      case 'serve': {
        const { serve } = await import('../local/serve');
        return await serve(env, { samples: args.includes('--sandbox-samples') });
      }
      case 'audit': {
        const { printAudit } = await import('./audit');
        return await printAudit(args, env);
      }
      case 'config':
        return configJson(args[0]);
      case 'webex-webhooks':
        return await webexWebhooks(args, env);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command ? 0 : 2;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hivewire: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`hivewire: configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
