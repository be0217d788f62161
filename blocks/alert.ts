/**
 * The root alert message. It is always rendered whole from the alert record (never patched), so
 * every `chat.update` shows the record's current state: open, escalating, escalated or ignored.
 */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import type { ResponseActionOffer } from '../src/domain/response-actions';
import type { Observable, Severity } from '../src/domain/finding';
import type { AlertRecord, AlertState, FindingSnapshot } from '../src/domain/alert';
import {
  ALERT_EVENT_TYPE,
  ASK_USER,
  CREATE_CASE,
  ENRICH,
  IGNORE,
  OPEN_CASE,
  OPEN_CONSOLE,
  OPEN_REMEDIATION,
} from './actions';
import { responseActionsBlock } from './analyst/response-actions';
import { context, linkButton, mrkdwn, section, slackLink, webUrlHost } from './elements';
import { showInvisibles } from '../src/domain/invisible';
import { literal, plainText, slackPerson } from './escape';
import { caseName, trustedCaseUrl } from './case-link';
import { findingFacts } from './facts';
import { slaBreachLine } from './sla-clock';
import {
  BUTTON_TEXT_MAX,
  BUTTON_VALUE_MAX,
  CASE_SUMMARY_MAX,
  FALLBACK_TITLE_MAX,
  HEADER_TEXT_MAX,
  MESSAGE_TEXT_BUDGET,
  OBSERVABLE_VALUE_MAX,
  OBSERVABLES_SHOWN_MAX,
  PROSE_VALUE_MAX,
  SECTION_FIELDS_MAX,
  SECTION_MIN,
  SECTION_TEXT_MAX,
  TEXT_LINK_URL_MAX,
  messageTextLength,
} from './limits';

export interface AlertMessageOptions {
  /** TheHive's base URL: the "Open in TheHive" button only ever links below it. */
  theHiveUrl?: string;
  /**
   * The configured response actions that apply to this alert's finding, already matched by the caller
   * (`responseActionsFor`): the builders only render what they are given.
   */
  responseActions?: readonly ResponseActionOffer[];
}

/** (contract) The metadata on every alert message, so state can be read back from Slack. */
export interface AlertMetadata {
  event_type: typeof ALERT_EVENT_TYPE;
  event_payload: { fingerprint: string; caseId?: string; caseNumber?: number; state: AlertState };
}

export interface AlertMessage {
  /** Notification and screen-reader fallback, escaped like everything else. */
  text: string;
  blocks: KnownBlock[];
  metadata: AlertMetadata;
}

/** One marker per severity, readable at a glance in the channel and in notifications. */
export const SEVERITY_MARKERS: Record<Severity, string> = {
  CRITICAL: '🚨',
  HIGH: '🔴',
  MEDIUM: '🟠',
  LOW: '🟡',
  INFORMATIONAL: '🔵',
};

const AWS_CONSOLE_HOST = /(^|\.)console\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)$/;
/** Data types and tags shown as they are: TheHive-style names, at most one `key:value` colon. */
const PLAIN_DATA_TYPE = /^[a-z0-9-]{1,32}(:[a-z0-9-]{1,32})?$/;

// Date.parse alone is no check: V8 reads "yesterday <3" as a date in 2001.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `2026-11-25 10:00 UTC` for an ISO-8601 time; undefined for anything else. */
export function utcMinute(iso: string): string | undefined {
  const time = ISO_TIME.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(time)) return undefined;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-11-25 10:00 UTC` for an ISO-8601 time; anything else is shown as it came. */
export function formatTime(iso: string): string {
  return utcMinute(iso) ?? literal(iso);
}

export function timesSeen(count: number): string {
  if (!Number.isSafeInteger(count) || count < 1) return 'seen';
  return count === 1 ? 'seen once' : `seen ${count} times`;
}

function header(severity: Severity, title: string): KnownBlock {
  const label = `${SEVERITY_MARKERS[severity]} ${severity}`;
  return {
    type: 'header',
    text: plainText(title.trim() === '' ? `${label} finding` : `${label} · ${title}`, HEADER_TEXT_MAX),
  };
}

function caseStatusLine(alert: AlertRecord): string {
  const name = caseName(alert);
  const snapshot = alert.case;
  if (snapshot?.gone === 'deleted') return `🗑️ *${name}* was deleted in TheHive`;
  if (snapshot?.gone === 'merged') return `🔀 *${name}* was merged into another case in TheHive`;
  if (!snapshot) return `📁 *${name}* opened in TheHive`;
  if (snapshot.stage === 'Closed') {
    const impact = snapshot.impactStatus ? ` · ${literal(snapshot.impactStatus)}` : '';
    return `✅ *${name}* · closed as ${literal(snapshot.status)}${impact}`;
  }
  const assignee = snapshot.assignee ? `assigned to ${literal(snapshot.assignee)}` : 'unassigned';
  return `📁 *${name}* · ${literal(snapshot.status)} · ${assignee}${slaBreachLine(alert.sla)}`;
}

function statusBlocks(alert: AlertRecord): KnownBlock[] {
  switch (alert.state) {
    case 'open':
      return [];
    case 'escalating':
      return [
        section(
          mrkdwn(
            `⏳ Creating case…${alert.escalatedBy ? ` requested by ${slackPerson({ person: alert.escalatedBy, personName: alert.escalatedByName })}` : ''}`,
          ),
        ),
      ];
    case 'escalated': {
      const by = alert.escalatedBy
        ? `\nEscalated by ${slackPerson({ person: alert.escalatedBy, personName: alert.escalatedByName })}${alert.escalatedAt ? ` · ${formatTime(alert.escalatedAt)}` : ''}`
        : '';
      const blocks: KnownBlock[] = [section(mrkdwn(caseStatusLine(alert) + by))];
      const summary = alert.case?.stage === 'Closed' && !alert.case.gone ? alert.case.summary : undefined;
      if (summary?.trim()) blocks.push(context(plainText(summary, CASE_SUMMARY_MAX)));
      return blocks;
    }
    case 'ignored': {
      const by = alert.ignoredBy
        ? ` by ${slackPerson({ person: alert.ignoredBy, personName: alert.ignoredByName })}`
        : '';
      const at = alert.ignoredAt ? ` on ${formatTime(alert.ignoredAt)}` : '';
      const reason = alert.ignoreReason?.trim() ? `: ${literal(alert.ignoreReason, PROSE_VALUE_MAX)}` : '';
      return [section(mrkdwn(`🙈 Ignored${by}${at}${reason}`))];
    }
  }
}

function factsBlock(facts: { label: string; value: string }[]): SectionBlock {
  return {
    type: 'section',
    fields: facts.slice(0, SECTION_FIELDS_MAX).map((item) => mrkdwn(`*${item.label}*\n${item.value}`)),
  };
}

function seenContext(alert: AlertRecord): KnownBlock {
  const finding = alert.finding;
  return context(
    mrkdwn(
      `${literal(finding.product)} · severity ${literal(finding.sourceSeverity)} · ` +
        `${timesSeen(alert.count)}, last ${formatTime(alert.lastSeen)} · first ${formatTime(alert.firstSeen)}`,
    ),
  );
}

/** A finding first grouped into a storm's digest (alerts/storm.ts), posted on its own later: the way back to it. */
function inDigestContext(alert: AlertRecord): KnownBlock | undefined {
  const permalink = alert.inDigest?.permalink;
  if (!permalink || !webUrlHost(permalink) || permalink.length > TEXT_LINK_URL_MAX) return undefined;
  return context(
    mrkdwn(`ℹ️ First grouped into ${slackLink(permalink, 'a digest')} during a storm of findings`),
  );
}

/** The finding's console link and its label, on every chat platform; undefined when it must not be linked. */
export function consoleLink(url: string | undefined): { label: string; url: string } | undefined {
  const host = webUrlHost(url);
  if (!host || !url) return undefined;
  // The URL comes with the finding: a SIEM alert may point anywhere, so the label names the real host
  // unless it is the AWS console.
  return { label: AWS_CONSOLE_HOST.test(host) ? 'Open in AWS console' : `Open ${host}`, url };
}

function consoleButton(url: string | undefined): Button | undefined {
  const link = consoleLink(url);
  return link && linkButton(OPEN_CONSOLE, link.label, link.url);
}

function fingerprintButton(actionId: string, label: string, fingerprint: string): Button {
  return { type: 'button', action_id: actionId, text: plainText(label, BUTTON_TEXT_MAX), value: fingerprint };
}

/**
 * The response actions (isolate an instance, disable a key) stay offered while the alert is open and
 * after it became a case, when they are most often run; not while ignored or while the case is created.
 */
function responseActions(alert: AlertRecord, options: AlertMessageOptions): ActionsBlock | undefined {
  if (alert.state !== 'open' && alert.state !== 'escalated') return undefined;
  return responseActionsBlock(alert.fingerprint, options.responseActions ?? []);
}

function actionsBlock(
  alert: AlertRecord,
  remediationUrl: string | undefined,
  options: AlertMessageOptions,
): ActionsBlock | undefined {
  const elements: Button[] = [];
  // A fingerprint too long for a button value cannot round-trip through a click: no buttons then.
  if (alert.state === 'open' && alert.fingerprint.length <= BUTTON_VALUE_MAX) {
    elements.push(
      {
        type: 'button',
        action_id: CREATE_CASE,
        text: plainText('Create Case', BUTTON_TEXT_MAX),
        style: 'primary',
        value: alert.fingerprint,
      },
      {
        type: 'button',
        action_id: IGNORE,
        text: plainText('Ignore', BUTTON_TEXT_MAX),
        value: alert.fingerprint,
      },
    );
    // Enrich looks indicators up in threat intelligence: pointless when the finding has none.
    if (alert.finding.observables.some((observable) => observable.ioc === true))
      elements.push(fingerprintButton(ENRICH, 'Enrich', alert.fingerprint));
    if (alert.finding.actor) elements.push(fingerprintButton(ASK_USER, 'Ask the user', alert.fingerprint));
  }
  const caseUrl = alert.state === 'escalated' ? trustedCaseUrl(alert.caseUrl, options.theHiveUrl) : undefined;
  if (caseUrl) elements.push(linkButton(OPEN_CASE, 'Open in TheHive', caseUrl));
  const toConsole = consoleButton(alert.finding.consoleUrl);
  if (toConsole) elements.push(toConsole);
  if (remediationUrl)
    elements.push(
      linkButton(OPEN_REMEDIATION, `Remediation · ${webUrlHost(remediationUrl)}`, remediationUrl),
    );
  return elements.length === 0 ? undefined : { type: 'actions', elements };
}

/** 0: indicators, 1: not classified, 2: context (private and reserved addresses). */
export function observableRank(observable: Observable): number {
  if (observable.ioc === true) return 0;
  return observable.ioc === false ? 2 : 1;
}

/** What an observable is, as raw text: `other` says nothing, its first tag (`access-key`, …) says more. */
export function observableTypeName(observable: Observable): string {
  const tag = observable.dataType === 'other' ? observable.tags?.[0] : undefined;
  return tag !== undefined && PLAIN_DATA_TYPE.test(tag) ? tag : observable.dataType;
}

function observableLine(observable: Observable): string {
  const name = observableTypeName(observable);
  const type = PLAIN_DATA_TYPE.test(name) ? name : literal(name, 40);
  return `\n• ${literal(observable.data, OBSERVABLE_VALUE_MAX)} ${type}${observable.ioc === false ? ' · context' : ''}`;
}

/** The observables list, indicators first, within `max` characters, ending "+N more" when some don't fit. */
function observablesText(observables: readonly Observable[], max: number): string {
  const total = observables.length;
  let text = `*Observables* · ${total}`;
  let shown = 0;
  ranks: for (let rank = 0; rank < 3; rank += 1) {
    for (const observable of observables) {
      if (observableRank(observable) !== rank) continue;
      if (shown === OBSERVABLES_SHOWN_MAX) break ranks;
      const line = observableLine(observable);
      const left = total - shown - 1;
      if (text.length + line.length + (left > 0 ? `\n+${left} more`.length : 0) > max) break ranks;
      text += line;
      shown += 1;
    }
  }
  return shown < total ? `${text}\n+${total - shown} more` : text;
}

/** Splits `room` between two parts wanting `a` and `b`: the larger one is cut first. */
function share(room: number, a: number, b: number): [number, number] {
  if (a + b <= room) return [a, b];
  const half = Math.floor(room / 2);
  if (a <= half) return [a, room - a];
  if (b <= half) return [room - b, b];
  return [half, room - half];
}

function shows(given: number, wanted: number): boolean {
  return given > 0 && (given >= wanted || given >= SECTION_MIN);
}

/** Description and observables: the two parts that can be huge, given what is left of the budget. */
function bodyBlocks(finding: FindingSnapshot, room: number): KnownBlock[] {
  // Measured as it will be shown: each invisible character becomes `<U+XXXX>`.
  const description = showInvisibles(finding.description).trim();
  const observables = finding.observables;
  const wantDescription = Math.min(description.length, SECTION_TEXT_MAX);
  const list = observables.length === 0 ? '' : observablesText(observables, Math.min(room, SECTION_TEXT_MAX));
  const [forDescription, forObservables] = share(Math.max(0, room), wantDescription, list.length);
  const blocks: KnownBlock[] = [];
  if (shows(forDescription, wantDescription)) blocks.push(section(plainText(description, forDescription)));
  if (shows(forObservables, list.length))
    blocks.push(
      section(mrkdwn(forObservables >= list.length ? list : observablesText(observables, forObservables))),
    );
  return blocks;
}

function fallbackText(alert: AlertRecord): string {
  const finding = alert.finding;
  const account = finding.accountName ?? finding.accountId;
  let text = `[${alert.severity}] ${literal(finding.title, FALLBACK_TITLE_MAX)}`;
  if (account) text += ` — ${literal(account)}`;
  text += ` (${literal(finding.customer)})`;
  if (alert.state === 'escalating') text += ' · creating case';
  if (alert.state === 'escalated') text += ` · ${caseName(alert)}`;
  if (alert.state === 'ignored') text += ' · ignored';
  return text;
}

function metadata(alert: AlertRecord): AlertMetadata {
  return {
    event_type: ALERT_EVENT_TYPE,
    event_payload: {
      fingerprint: alert.fingerprint,
      ...(alert.caseId === undefined ? {} : { caseId: alert.caseId }),
      ...(alert.caseNumber === undefined ? {} : { caseNumber: alert.caseNumber }),
      state: alert.state,
    },
  };
}

/**
 * Renders the alert message for `alert` in its current state: header (severity and title), status
 * line, facts chosen by the finding's kind, description, observables (indicators first), when it was
 * seen, the last error, and the buttons the state allows. Within Slack's limits whatever the finding:
 * when the text budget runs short, the description and the observables are cut first.
 */
export function alertMessage(alert: AlertRecord, options: AlertMessageOptions = {}): AlertMessage {
  const finding = alert.finding;
  const { facts, remediationUrl } = findingFacts(finding);
  const head: KnownBlock[] = [header(alert.severity, finding.title), ...statusBlocks(alert)];
  if (facts.length > 0) head.push(factsBlock(facts));
  const tail: KnownBlock[] = [seenContext(alert)];
  const digestLine = inDigestContext(alert);
  if (digestLine) tail.push(digestLine);
  if (alert.lastError)
    tail.push(context(mrkdwn(`⚠️ Last attempt failed: ${literal(alert.lastError, PROSE_VALUE_MAX)}`)));
  const actions = actionsBlock(alert, remediationUrl, options);
  if (actions) tail.push(actions);
  const runnable = responseActions(alert, options);
  if (runnable) tail.push(runnable);
  const room = MESSAGE_TEXT_BUDGET - messageTextLength(head) - messageTextLength(tail);
  return {
    text: fallbackText(alert),
    blocks: [...head, ...bodyBlocks(finding, room), ...tail],
    metadata: metadata(alert),
  };
}
