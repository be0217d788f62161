/**
 * A click on a Hivewire card in Teams (an `adaptiveCard/action` invoke), handed to the same use cases
 * as Slack's buttons. The invoke's answer is Teams' private reply to the clicker: a short message, or a
 * card that takes the clicked card's place (the ignore form, then the alert as it now is).
 */
import { ASK_USER, CREATE_CASE, ENRICH, IGNORE, IGNORE_MODAL } from '../../../blocks/actions';
import { responseActionOf } from '../../../blocks/analyst/actions';
import { IGNORE_NOTE_FIELD, IGNORE_REASON_FIELD } from '../../../cards/forms';
import { teamsIgnoreForm, teamsNote, teamsNoteCard, type TeamsCard } from '../../../cards/teams';
import { triageRequestWords, triageResponseOf } from '../../../cards/triage';
import { TRIAGE_ANSWER_REFUSALS } from '../../../blocks/analyst/triage';
import { renderTeamsAlert } from '../../alerts/render';
import { checkIgnorable, ignoreAlert } from '../../alerts/ignore';
import { isIgnoreReason } from '../../domain/ignore';
import { requestEscalation } from '../../cases/request-escalation';
import { lookupTargetsOfAlert } from '../../lookups/targets';
import { requestResponseActionFor } from '../../response-actions/response-actions';
import { answerTriage, answerTypedTriage, requestTriage } from '../../triage/triage';
import type { TriageResponse } from '../../domain/triage';
import type { TeamsMessageRef } from './delivery';
import { teamsPersonId, type TeamsActivity } from './activity';
import { isTeamsAdmin, type TeamsSpeaker } from './commands';
import type { Deps } from '../../wiring/deps';

/** What the Teams bot's handlers are given. */
export type TeamsBotDeps = Pick<Deps, 'store' | 'queue' | 'now' | 'logger' | 'config' | 'metrics'>;

/** The clicker sees `text` (Teams shows it under the card, to them only). */
export function answer(text: string) {
  return {
    statusCode: 200 as const,
    type: 'application/vnd.microsoft.activity.message' as const,
    value: text,
  };
}

/** The clicked card is replaced with `card`. */
function cardAnswer(card: TeamsCard) {
  return {
    statusCode: 200 as const,
    type: 'application/vnd.microsoft.card.adaptive' as const,
    value: card as never,
  };
}

const NOT_OPEN = {
  escalated: 'This alert is already a case; its case decides.',
  escalating: 'A case is being created for this alert.',
  'already-ignored': 'This alert is already ignored.',
  'unknown-alert': 'Hivewire does not know this alert (it may come from another installation).',
} as const;

async function createCase(fingerprint: string, speaker: TeamsSpeaker, deps: TeamsBotDeps) {
  const result = await requestEscalation(
    {
      fingerprint,
      userId: teamsPersonId(speaker),
      ...(speaker.name ? { userName: speaker.name } : {}),
      platform: 'teams',
    },
    deps,
  );
  deps.logger.info('create case clicked', { platform: 'teams', fingerprint, outcome: result.outcome });
  switch (result.outcome) {
    case 'requested':
      return answer('Creating the case…');
    case 'already-escalated':
      return answer(`The case already exists${result.alert.caseUrl ? `: ${result.alert.caseUrl}` : '.'}`);
    case 'in-progress':
      return answer('A case is already being created for this alert.');
    case 'ignored':
      return answer('This alert was ignored; its buttons no longer apply.');
    case 'unknown-alert':
      return answer(NOT_OPEN['unknown-alert']);
  }
}

async function submitIgnore(
  data: Record<string, unknown>,
  fingerprint: string,
  activity: TeamsActivity,
  deps: TeamsBotDeps,
) {
  const reason = data[IGNORE_REASON_FIELD];
  if (!isIgnoreReason(reason)) return answer('Choose a reason to ignore the alert.');
  const note = data[IGNORE_NOTE_FIELD];
  const result = await ignoreAlert(
    {
      fingerprint,
      userId: teamsPersonId(activity.from),
      platform: 'teams',
      ...(activity.from.name ? { userName: activity.from.name } : {}),
      reason,
      ...(typeof note === 'string' ? { note } : {}),
    },
    deps,
  );
  if (result.outcome !== 'ignored') return answer(NOT_OPEN[result.outcome]);
  return cardAnswer(renderTeamsAlert(result.alert, deps.config).attachments[0].content);
}

/** Enrich: the alert's indicators looked up by the worker, as Slack's button does; the results go in its Teams reply chain. */
async function enrich(fingerprint: string, person: string, deps: TeamsBotDeps) {
  const alert = await deps.store.getAlert(fingerprint);
  if (!alert) return answer(NOT_OPEN['unknown-alert']);
  const targets = lookupTargetsOfAlert(alert);
  if (targets.length === 0)
    return answer('This alert has no indicators to look up (public IPs, domains, URLs or hashes).');
  await deps.queue.enqueue({
    kind: 'lookup',
    targets,
    userId: person,
    reply: { to: 'thread', fingerprint, platform: 'teams' },
    requestedAt: deps.now().toISOString(),
  });
  return answer(`Looking up ${targets.length === 1 ? '1 indicator' : `${targets.length} indicators`}…`);
}

/** Ask the user: "was this you?" asked of the person the finding is about, in their 1:1 chat. */
async function askUser(fingerprint: string, activity: TeamsActivity, deps: TeamsBotDeps) {
  const result = await requestTriage(
    {
      fingerprint,
      requestedBy: teamsPersonId(activity.from),
      platform: 'teams',
      ...(activity.from.name ? { requestedByName: activity.from.name } : {}),
    },
    deps,
  );
  return answer(triageRequestWords(result));
}

/**
 * An answer to "was this you?" in the person's 1:1 chat: recorded once, from the person asked only; the
 * question card is replaced with their answer (as Slack's DM is), or they are told why not.
 */
export async function handleTriageAnswer(
  data: { action: string; id: string },
  activity: TeamsActivity,
  deps: TeamsBotDeps,
) {
  const response = triageResponseOf(data.action);
  if (!response) return answer('This action is not available in Teams.');
  const result = await answerTriage(
    {
      triageId: data.id,
      response,
      userId: teamsPersonId(activity.from),
      platform: 'teams',
      team: undefined,
    },
    deps,
  );
  deps.logger.info('triage answered', { platform: 'teams', outcome: result.outcome });
  if (result.outcome !== 'recorded') return answer(TRIAGE_ANSWER_REFUSALS[result.outcome]);
  return cardAnswer(teamsNote({ kind: 'triage-closed', record: result.record, response }));
}

/**
 * An answer typed in the person's 1:1 chat ("yes", "No, it wasn't me"): the latest question put to them
 * is answered as a click on its card would be. Resolves to the question card to replace with the
 * answer, or to a card answering the message (the question closed, or none asked).
 */
export async function typedTriageAnswer(
  activity: TeamsActivity,
  response: TriageResponse,
  deps: TeamsBotDeps,
): Promise<{ question: TeamsMessageRef; card: TeamsCard } | { reply: TeamsCard }> {
  const result = await answerTypedTriage(
    { response, userId: teamsPersonId(activity.from), platform: 'teams' },
    deps,
  );
  deps.logger.info('triage answered', { platform: 'teams', typed: true, outcome: result.outcome });
  if (result.outcome !== 'recorded')
    return { reply: teamsNoteCard([TRIAGE_ANSWER_REFUSALS[result.outcome]]) };
  const card = teamsNote({ kind: 'triage-closed', record: result.record, response });
  const { channel, ts } = result.record;
  return channel && ts ? { question: { channel, messageId: ts }, card } : { reply: card };
}

/** A response action: run by Teams admins only (`teams.admins`), audited either way, as on Slack. */
async function responseAction(
  fingerprint: string,
  actionId: string,
  speaker: TeamsSpeaker,
  deps: TeamsBotDeps,
) {
  const person = teamsPersonId(speaker);
  const result = await requestResponseActionFor(
    {
      fingerprint,
      actionId,
      userId: person,
      actor: { kind: 'teams', id: person },
      allowed: await isTeamsAdmin(speaker, deps.config),
      platform: 'teams',
      ...(speaker.name ? { userName: speaker.name } : {}),
    },
    deps,
  );
  deps.logger.info('response action clicked', { platform: 'teams', fingerprint, outcome: result.outcome });
  switch (result.outcome) {
    case 'requested':
      return answer(`Running ${result.action.label}… the result goes in the alert's thread.`);
    case 'refused':
      return answer(`Only Hivewire admins may run ${result.action.label}.`);
    case 'not-applicable':
      return answer(`${result.action.label} does not apply to this finding.`);
    case 'unknown-action':
      return answer('This response action is no longer configured.');
    case 'unknown-alert':
      return answer(NOT_OPEN['unknown-alert']);
  }
}

/** Runs the click `data` (`{action, fingerprint, …inputs}`) from `activity`'s person. */
export async function handleCardAction(
  data: { action: string; fingerprint: string } & Record<string, unknown>,
  activity: TeamsActivity,
  speaker: TeamsSpeaker,
  deps: TeamsBotDeps,
) {
  const person = teamsPersonId(activity.from);
  const { action, fingerprint } = data;
  switch (action) {
    case CREATE_CASE:
      return createCase(fingerprint, speaker, deps);
    case IGNORE: {
      const checked = await checkIgnorable(fingerprint, deps);
      if (checked.outcome !== 'ignorable') return answer(NOT_OPEN[checked.outcome]);
      return cardAnswer(teamsIgnoreForm(checked.alert));
    }
    case IGNORE_MODAL:
      return submitIgnore(data, fingerprint, activity, deps);
    case ENRICH:
      return enrich(fingerprint, person, deps);
    case ASK_USER:
      return askUser(fingerprint, activity, deps);
    default: {
      const actionId = responseActionOf(action);
      if (actionId) return responseAction(fingerprint, actionId, speaker, deps);
      return answer('This action is not available in Teams.');
    }
  }
}
