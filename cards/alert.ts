/**
 * The alert as an Adaptive Card, for any card version: the same content as the Slack message
 * (blocks/alert.ts) from the same record and the same facts: severity and title, the state's status
 * line, account, customer, resource and the finding kind's template, description, observables
 * (indicators first), when it was seen, the last error, and the buttons the state allows. Always
 * rendered whole from the record, so every update shows the current state.
 *
 * Buttons submit `{"action", "fingerprint"}` with Slack's action ids; links are `Action.OpenUrl`.
 * Create Case, Ignore, Enrich and Ask the user are the card's actions (Webex draws at most five);
 * the links and the response actions, each behind a confirmation card, are action sets in the body.
 */
import type { AlertRecord } from '../src/domain/alert';
import type { Severity } from '../src/domain/finding';
import type { ResponseActionOffer } from '../src/domain/response-actions';
import { ASK_USER, CREATE_CASE, ENRICH, IGNORE } from '../blocks/actions';
import { responseActionId } from '../blocks/analyst/actions';
import {
  SEVERITY_MARKERS,
  consoleLink,
  observableRank,
  observableTypeName,
  timesSeen,
  utcMinute,
} from '../blocks/alert';
import { trustedCaseUrl } from '../blocks/case-link';
import { webUrlHost } from '../blocks/elements';
import { findingFactParts } from '../blocks/facts';
import {
  CASE_SUMMARY_MAX,
  FALLBACK_TITLE_MAX,
  OBSERVABLE_VALUE_MAX,
  OBSERVABLES_SHOWN_MAX,
  PROSE_VALUE_MAX,
  VALUE_MAX,
} from '../blocks/limits';
import {
  adaptiveCard,
  factSet,
  openUrl,
  showCard,
  submit,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type CardVersion,
  type ContainerStyle,
} from './core';
import { cardText } from './escape';

export interface AlertCardOptions {
  /** TheHive's base URL: "Open in TheHive" only ever links below it. */
  theHiveUrl?: string;
  /** The configured response actions that apply to this finding (`responseActionsFor`). */
  responseActions?: readonly ResponseActionOffer[];
}

/** The description shown on a card: longer ones are cut (the case holds it whole). */
export const CARD_DESCRIPTION_MAX = 1500;

/** The band colour of the card's head, by severity. */
const SEVERITY_STYLES: Record<Severity, ContainerStyle> = {
  CRITICAL: 'attention',
  HIGH: 'attention',
  MEDIUM: 'warning',
  LOW: 'accent',
  INFORMATIONAL: 'emphasis',
};

function when(iso: string): string {
  return utcMinute(iso) ?? cardText(iso, VALUE_MAX);
}

function caseLabel(alert: AlertRecord): string {
  if (alert.caseNumber !== undefined && Number.isSafeInteger(alert.caseNumber))
    return `Case #${alert.caseNumber}`;
  return alert.caseId === undefined ? 'Case' : `Case ${cardText(alert.caseId, VALUE_MAX)}`;
}

function caseStatusLine(alert: AlertRecord): string {
  const name = caseLabel(alert);
  const snapshot = alert.case;
  if (snapshot?.gone === 'deleted') return `🗑️ ${name} was deleted in TheHive`;
  if (snapshot?.gone === 'merged') return `🔀 ${name} was merged into another case in TheHive`;
  if (!snapshot) return `📁 ${name} opened in TheHive`;
  if (snapshot.stage === 'Closed') {
    const impact = snapshot.impactStatus ? ` · ${cardText(snapshot.impactStatus, VALUE_MAX)}` : '';
    return `✅ ${name} · closed as ${cardText(snapshot.status, VALUE_MAX)}${impact}`;
  }
  const assignee = snapshot.assignee ? `assigned to ${cardText(snapshot.assignee, VALUE_MAX)}` : 'unassigned';
  return `📁 ${name} · ${cardText(snapshot.status, VALUE_MAX)} · ${assignee}`;
}

function statusElements(alert: AlertRecord): CardElement[] {
  switch (alert.state) {
    case 'open':
      return [];
    case 'escalating': {
      const by = alert.escalatedBy
        ? ` requested by ${cardText(alert.escalatedByName ?? alert.escalatedBy, VALUE_MAX)}`
        : '';
      return [textBlock(`⏳ Creating case…${by}`, { weight: 'Bolder' })];
    }
    case 'escalated': {
      const elements: CardElement[] = [textBlock(caseStatusLine(alert), { weight: 'Bolder' })];
      if (alert.escalatedBy) {
        const at = alert.escalatedAt ? ` · ${when(alert.escalatedAt)}` : '';
        elements.push(
          textBlock(`Escalated by ${cardText(alert.escalatedByName ?? alert.escalatedBy, VALUE_MAX)}${at}`, {
            isSubtle: true,
            spacing: 'None',
          }),
        );
      }
      const summary = alert.case?.stage === 'Closed' && !alert.case.gone ? alert.case.summary : undefined;
      if (summary?.trim())
        elements.push(
          textBlock(cardText(summary, CASE_SUMMARY_MAX, { multiline: true }), { isSubtle: true }),
        );
      return elements;
    }
    case 'ignored': {
      const by = alert.ignoredBy ? ` by ${cardText(alert.ignoredByName ?? alert.ignoredBy, VALUE_MAX)}` : '';
      const at = alert.ignoredAt ? ` on ${when(alert.ignoredAt)}` : '';
      const reason = alert.ignoreReason?.trim() ? `: ${cardText(alert.ignoreReason, PROSE_VALUE_MAX)}` : '';
      return [textBlock(`🙈 Ignored${by}${at}${reason}`, { weight: 'Bolder' })];
    }
  }
}

function observablesElements(alert: AlertRecord): CardElement[] {
  const observables = alert.finding.observables;
  if (observables.length === 0) return [];
  const shown = [...observables]
    .sort((a, b) => observableRank(a) - observableRank(b))
    .slice(0, OBSERVABLES_SHOWN_MAX);
  const elements: CardElement[] = [
    textBlock(`Observables · ${observables.length}`, { weight: 'Bolder' }),
    factSet(
      shown.map((observable) => ({
        title: cardText(observableTypeName(observable), 40),
        value:
          cardText(observable.data, OBSERVABLE_VALUE_MAX) + (observable.ioc === false ? ' · context' : ''),
      })),
    ),
  ];
  if (observables.length > shown.length)
    elements.push(
      textBlock(`+${observables.length - shown.length} more`, { isSubtle: true, spacing: 'None' }),
    );
  return elements;
}

function seenLine(alert: AlertRecord): string {
  const finding = alert.finding;
  return (
    `${cardText(finding.product, VALUE_MAX)} · severity ${cardText(finding.sourceSeverity, VALUE_MAX)} · ` +
    `${timesSeen(alert.count)}, last ${when(alert.lastSeen)} · first ${when(alert.firstSeen)}`
  );
}

/** Create Case, Ignore, Enrich and Ask the user: only while the alert is open. */
function decisionActions(alert: AlertRecord): CardAction[] {
  if (alert.state !== 'open') return [];
  const fingerprint = alert.fingerprint;
  const actions: CardAction[] = [
    submit('Create Case', { action: CREATE_CASE, fingerprint }, 'positive'),
    submit('Ignore', { action: IGNORE, fingerprint }),
  ];
  if (alert.finding.observables.some((observable) => observable.ioc === true))
    actions.push(submit('Enrich', { action: ENRICH, fingerprint }));
  if (alert.finding.actor) actions.push(submit('Ask the user', { action: ASK_USER, fingerprint }));
  return actions;
}

function linkActions(alert: AlertRecord, remediationUrl: string | undefined, options: AlertCardOptions) {
  const links: CardAction[] = [];
  const caseUrl = alert.state === 'escalated' ? trustedCaseUrl(alert.caseUrl, options.theHiveUrl) : undefined;
  if (caseUrl) links.push(openUrl('Open in TheHive', caseUrl));
  const toConsole = consoleLink(alert.finding.consoleUrl);
  if (toConsole) links.push(openUrl(toConsole.label, toConsole.url));
  if (remediationUrl) links.push(openUrl(`Remediation · ${webUrlHost(remediationUrl)}`, remediationUrl));
  return links;
}

/**
 * Response actions while the alert is open or a case (not while ignored or being escalated), each
 * behind a card that asks to confirm, as Slack's confirmation dialog does.
 */
function responseActionElements(alert: AlertRecord, options: AlertCardOptions): CardElement[] {
  if (alert.state !== 'open' && alert.state !== 'escalated') return [];
  const actions = options.responseActions ?? [];
  if (actions.length === 0) return [];
  return [
    {
      type: 'ActionSet' as const,
      actions: actions.map((action) =>
        showCard(
          action.label,
          [
            textBlock(
              `This runs ${action.lambda ? 'the Lambda function' : 'the SSM Automation runbook'} ` +
                `${cardText(action.lambda ?? action.ssmDocument ?? '', VALUE_MAX)} on this finding. ` +
                'It is recorded in the audit trail.',
            ),
          ],
          [
            submit(
              `Run ${action.label}`,
              { action: responseActionId(action.id), fingerprint: alert.fingerprint },
              'destructive',
            ),
          ],
        ),
      ),
    },
  ];
}

/** The one-line summary of the alert: the card's fallback text and the message's notification. */
export function alertSummary(alert: AlertRecord): string {
  const finding = alert.finding;
  const account = finding.accountName ?? finding.accountId;
  let text = `${SEVERITY_MARKERS[alert.severity]} ${alert.severity} · ${cardText(finding.title, FALLBACK_TITLE_MAX)}`;
  if (account) text += ` · ${cardText(account, VALUE_MAX)}`;
  text += ` (${cardText(finding.customer, VALUE_MAX)})`;
  if (alert.state === 'escalating') text += ' · creating case';
  if (alert.state === 'escalated') text += ` · ${caseLabel(alert)}`;
  if (alert.state === 'ignored') text += ' · ignored';
  return text;
}

/** The alert card for `alert` in its current state, in card schema `version`. */
export function alertCard(
  alert: AlertRecord,
  version: CardVersion,
  options: AlertCardOptions = {},
): AdaptiveCard {
  const finding = alert.finding;
  const { facts, remediationUrl } = findingFactParts(finding);
  const title = finding.title.trim() === '' ? 'finding' : cardText(finding.title, FALLBACK_TITLE_MAX);
  const body: CardElement[] = [
    {
      type: 'Container',
      style: SEVERITY_STYLES[alert.severity],
      items: [
        textBlock(`${SEVERITY_MARKERS[alert.severity]} ${alert.severity} · ${title}`, {
          weight: 'Bolder',
          size: 'Medium',
        }),
      ],
    },
    ...statusElements(alert),
  ];
  if (facts.length > 0)
    body.push(
      factSet(
        facts.map(({ label, parts }) => ({
          title: label,
          value: parts.map((part) => cardText(part, VALUE_MAX)).join(' · '),
        })),
      ),
    );
  if (finding.description.trim())
    body.push(textBlock(cardText(finding.description, CARD_DESCRIPTION_MAX, { multiline: true })));
  body.push(...observablesElements(alert));
  body.push(textBlock(seenLine(alert), { isSubtle: true, size: 'Small' }));
  if (alert.lastError)
    body.push(
      textBlock(`⚠️ Last attempt failed: ${cardText(alert.lastError, PROSE_VALUE_MAX)}`, {
        color: 'Attention',
      }),
    );
  const links = linkActions(alert, remediationUrl, options);
  if (links.length > 0) body.push({ type: 'ActionSet', actions: links });
  body.push(...responseActionElements(alert, options));
  return adaptiveCard(version, body, decisionActions(alert), alertSummary(alert));
}
