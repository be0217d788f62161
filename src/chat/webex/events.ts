/**
 * The worker's half of a Webex delivery: reads what it names back from Webex (a card submission's
 * inputs, a message's text: deliveries carry ids only) and runs the same use cases as Slack's
 * buttons, modal and command. Clicks are idempotent where Slack's are: the use cases decide with
 * conditional writes, so a second Create Case gets the "already exists" notice, never a second case.
 */
import * as z from '../../validation/zod';
import { ASK_USER, CREATE_CASE, ENRICH, IGNORE, IGNORE_MODAL } from '../../../blocks/actions';
import { TRIAGE_ANSWER_REFUSALS } from '../../../blocks/analyst/triage';
import { triageRequestWords, triageResponseOf } from '../../../cards/triage';
import { answerTriage, answerTypedTriage, requestTriage } from '../../triage/triage';
import { typedTriageResponse, type TriageResponse } from '../../domain/triage';
import type { ChatMessageRef } from '../port';
import { responseActionOf } from '../../../blocks/analyst/actions';
import {
  webexLookupStarted,
  webexNothingToLookUp,
  webexResponseActionAnswer,
} from '../../../cards/webex-analyst';
import { isWebexAdmin } from '../../access/permissions';
import { lookupTargetsFromText, lookupTargetsOfAlert } from '../../lookups/targets';
import { requestResponseAction } from '../../response-actions/response-actions';
import { ignoreFormCard, IGNORE_NOTE_FIELD, IGNORE_REASON_FIELD } from '../../../cards/forms';
import {
  cardMessage,
  webexHelp,
  webexMention,
  webexNotice,
  webexText,
  WEBEX_CARD_VERSION,
} from '../../../cards/webex';
import { isIgnoreReason } from '../../domain/ignore';
import { checkIgnorable, ignoreAlert } from '../../alerts/ignore';
import { lookupCase, parseCaseNumber } from '../../cases/lookup';
import { organisationOf } from '../../enrich/tenancy';
import { parseSeverity, readThreshold, setThreshold } from '../../alerts/threshold';
import type { ThresholdChange } from '../../domain/threshold';
import { requestEscalation } from '../../cases/request-escalation';
import { isRetryable } from '../../queue/attempt';
import { errorMessage } from '../../observability/logger';
import type { Deps } from '../../wiring/deps';
import type { JobOf } from '../../queue/jobs';
import { webexChatOf, type WebexChat, type WebexMessageRef } from './adapter';

export type WebexEventDeps = Pick<
  Deps,
  'config' | 'store' | 'queue' | 'now' | 'logger' | 'metrics' | 'chats'
>;

/** What every Hivewire card submits, with the ignore form's inputs when it is that form. */
const submission = z.looseObject({
  action: z.string().check(z.minLength(1)),
  fingerprint: z.string().check(z.minLength(1)),
  [IGNORE_REASON_FIELD]: z.optional(z.string()),
  [IGNORE_NOTE_FIELD]: z.optional(z.string()),
});

/** What a "was this you?" answer submits (cards/triage.ts): the answer's action id and the question's id. */
const triageAnswerSubmission = z.looseObject({
  action: z.string(),
  id: z.string().check(z.minLength(1), z.maxLength(256)),
});

type AttachmentAction = Awaited<ReturnType<WebexChat['client']['getAttachmentAction']>>;

/** The submission's inputs read by `schema`; undefined (and kept as a dead letter naming the field) when not. */
async function readInputs<T extends z.ZodMiniType>(
  schema: T,
  action: AttachmentAction,
  deps: WebexEventDeps,
): Promise<z.infer<T> | undefined> {
  const parsed = z.safeParse(schema, action.inputs);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  await deps.store.putDeadLetter({
    kind: 'rejected-webex-event',
    error: `inputs.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    payload: action,
  });
  return undefined;
}

/**
 * An answer to "was this you?" in the person's direct room: recorded once, from the person asked only
 * (anyone else is told in the room); the answer follows the question there, as Webex cannot edit a card.
 */
async function onTriageAnswer(
  action: AttachmentAction,
  response: TriageResponse,
  chat: WebexChat,
  deps: WebexEventDeps,
) {
  const data = await readInputs(triageAnswerSubmission, action, deps);
  if (!data) return;
  const result = await answerTriage(
    { triageId: data.id, response, userId: action.personId, platform: 'webex', team: undefined },
    deps,
  );
  deps.logger.info('triage answered', { platform: 'webex', outcome: result.outcome });
  const question: ChatMessageRef = { platform: 'webex', channel: action.roomId, messageId: action.messageId };
  if (result.outcome === 'recorded')
    await chat.updateDirectMessage(
      question,
      { platform: 'webex', id: action.personId },
      { kind: 'triage-closed', record: result.record, response },
    );
  else
    await chat.reply(
      { roomId: action.roomId, messageId: action.messageId },
      webexNotice(`${webexMention(action.personId)} ${TRIAGE_ANSWER_REFUSALS[result.outcome]}`),
    );
}

type WebexMessage = Awaited<ReturnType<WebexChat['client']['getMessage']>>;

/**
 * An answer typed in the person's direct room ("yes", "No, it wasn't me"): the latest question put to
 * them is answered as a click on its card would, and the answer follows the question there.
 */
async function onTypedTriageAnswer(
  message: WebexMessage,
  response: TriageResponse,
  chat: WebexChat,
  deps: WebexEventDeps,
) {
  const result = await answerTypedTriage({ response, userId: message.personId, platform: 'webex' }, deps);
  deps.logger.info('triage answered', { platform: 'webex', typed: true, outcome: result.outcome });
  if (result.outcome !== 'recorded') {
    await chat.reply(
      { roomId: message.roomId, messageId: message.id },
      webexNotice(`${webexMention(message.personId)} ${TRIAGE_ANSWER_REFUSALS[result.outcome]}`),
    );
    return;
  }
  // The answer goes under the question (Webex cannot edit its card), or under the typed answer if the
  // question's message is not known.
  const { channel = message.roomId, ts = message.id } = result.record;
  await chat.updateDirectMessage(
    { platform: 'webex', channel, messageId: ts },
    { platform: 'webex', id: message.personId },
    { kind: 'triage-closed', record: result.record, response },
  );
}

async function onCardSubmitted(
  job: JobOf<'webex-event'>,
  chat: WebexChat,
  deps: WebexEventDeps,
  client: WebexChat['client'],
) {
  const action = await client.getAttachmentAction(job.id);
  const answered = triageResponseOf(String(action.inputs.action ?? ''));
  if (answered) {
    await onTriageAnswer(action, answered, chat, deps);
    return;
  }
  const inputs = await readInputs(submission, action, deps);
  if (!inputs) return;
  const { fingerprint } = inputs;
  const person = action.personId;
  const root = await chat.rootOf(action.messageId);
  const tell = (markdown: string) => chat.reply(root, webexNotice(`${webexMention(person)} ${markdown}`));
  // Named in the threads of the other platforms, where a Webex id would mean nothing. Only a name: a
  // person Webex will not show the bot is named by id there, and the click goes on.
  const nameOf = (id: string) =>
    client.getPerson(id).then(
      (found) => found.displayName,
      (error: unknown) => {
        if (isRetryable(error)) throw error;
        deps.logger.warn('webex clicker not named: their person could not be read', {
          error: errorMessage(error),
        });
        return undefined;
      },
    );
  switch (inputs.action) {
    case CREATE_CASE: {
      const result = await requestEscalation(
        { fingerprint, userId: person, userName: await nameOf(person), platform: 'webex' },
        deps,
      );
      deps.logger.info('webex create case clicked', { fingerprint, outcome: result.outcome });
      if (result.outcome === 'already-escalated')
        await chat.tellPrivately(
          { platform: 'webex', channel: root.roomId, messageId: root.messageId },
          { platform: 'webex', id: person },
          {
            kind: 'already-escalated',
            caseNumber: result.alert.caseNumber,
            caseId: result.alert.caseId,
            caseUrl: result.alert.caseUrl,
          },
        );
      else if (result.outcome === 'in-progress')
        await tell('A case is already being created for this alert.');
      else if (result.outcome === 'ignored')
        await tell('This alert was ignored; its buttons no longer apply.');
      else if (result.outcome === 'unknown-alert') await tell('Hivewire does not know this alert.');
      return;
    }
    case IGNORE: {
      const check = await checkIgnorable(fingerprint, deps);
      if (check.outcome === 'ignorable') {
        await chat.reply(
          root,
          cardMessage(ignoreFormCard(check.alert, WEBEX_CARD_VERSION), 'Ignore alert: choose a reason'),
        );
      } else {
        await tell(
          check.outcome === 'unknown-alert'
            ? 'Hivewire does not know this alert.'
            : `This alert cannot be ignored: it is ${check.outcome}.`,
        );
      }
      return;
    }
    case IGNORE_MODAL: {
      const reason = inputs[IGNORE_REASON_FIELD];
      if (!isIgnoreReason(reason)) {
        await tell('Choose a reason to ignore this alert.');
        return;
      }
      const note = inputs[IGNORE_NOTE_FIELD];
      const result = await ignoreAlert(
        { fingerprint, userId: person, userName: await nameOf(person), platform: 'webex', reason, note },
        deps,
      );
      // Ignored: the thread hears it from the owed reply, on every platform the alert is on.
      if (result.outcome !== 'ignored')
        await tell(
          result.outcome === 'unknown-alert'
            ? 'Hivewire does not know this alert.'
            : `This alert cannot be ignored: it is ${result.outcome}.`,
        );
      return;
    }
    case ASK_USER: {
      const name = await nameOf(person);
      const result = await requestTriage(
        {
          fingerprint,
          requestedBy: person,
          platform: 'webex',
          ...(name ? { requestedByName: name } : {}),
        },
        deps,
      );
      deps.logger.info('webex ask the user clicked', { fingerprint, outcome: result.outcome });
      await tell(triageRequestWords(result));
      return;
    }
    case ENRICH: {
      const alert = await deps.store.getAlert(fingerprint);
      const targets = alert ? lookupTargetsOfAlert(alert) : [];
      if (!alert) await tell('Hivewire does not know this alert.');
      else if (targets.length === 0)
        await tell('This alert has no indicators to look up (public IPs, domains, URLs or hashes).');
      else {
        await queueLookup(targets, person, { to: 'thread', fingerprint, platform: 'webex' }, deps);
        await chat.reply(root, webexLookupStarted(person, targets.length, []));
      }
      return;
    }
    default: {
      const actionId = responseActionOf(inputs.action);
      if (actionId === undefined) {
        await tell(`${webexText(inputs.action, 60)} is not available on Webex yet.`);
        return;
      }
      const clicker = await client.getPerson(person);
      const result = await requestResponseAction(
        {
          fingerprint,
          actionId,
          userId: person,
          userName: clicker.displayName,
          platform: 'webex',
          email: clicker.emails[0],
        },
        deps,
      );
      deps.logger.info('webex response action clicked', { fingerprint, actionId, outcome: result.outcome });
      await chat.reply(root, webexResponseActionAnswer(person, result));
    }
  }
}

/** Queues a threat-intel lookup whose results go to a Webex thread. */
async function queueLookup(
  targets: ReturnType<typeof lookupTargetsOfAlert>,
  personId: string,
  reply: JobOf<'lookup'>['reply'],
  deps: WebexEventDeps,
): Promise<void> {
  await deps.queue.enqueue({
    kind: 'lookup',
    targets,
    userId: personId,
    reply,
    requestedAt: deps.now().toISOString(),
  });
}

/** What a threshold change says in the space. */
function thresholdWords(change: ThresholdChange, personId: string): string {
  switch (change.outcome) {
    case 'changed':
      return `✅ ${webexMention(personId)} set the severity threshold: **${change.from}** → **${change.to}**.`;
    case 'unchanged':
      return `The severity threshold already is **${change.level}**.`;
    case 'refused':
      return `⛔ ${webexMention(personId)} Only Hivewire admins may change the severity threshold (\`webex.admins\` in the config file).`;
  }
}

/**
 * The TheHive organisations whose cases a space may look up: its customer's own when the space is a
 * customer's (`customers.<c>.webex.room`), else those of the provider and of customers without a room.
 */
function organisationsOfRoom(config: WebexEventDeps['config'], roomId: string): (string | undefined)[] {
  const customer = Object.entries(config.file.customers).find(
    ([, settings]) => settings.webex?.room === roomId,
  );
  if (customer) return [organisationOf(config, customer[0])];
  const others = Object.values(config.file.customers)
    .filter((settings) => !settings.webex)
    .map((settings) => settings.thehive?.organisation);
  return [...new Set([config.theHive.organisation, ...others])];
}

async function onMessage(
  job: JobOf<'webex-event'>,
  chat: WebexChat,
  deps: WebexEventDeps,
  client: WebexChat['client'],
) {
  const message = await client.getMessage(job.id);
  // In the person's direct room every message is delivered: one may be the answer to a question.
  const typed = message.roomType === 'direct' ? typedTriageResponse(message.text ?? '') : undefined;
  if (typed) {
    await onTypedTriageAnswer(message, typed, chat, deps);
    return;
  }
  // In a space the bot only receives messages that mention it; its text starts with the bot's name.
  const words = (message.text ?? '').trim().split(/\s+/).filter(Boolean);
  if (/^@?hivewire$/i.test(words[0] ?? '')) words.shift();
  const [command = 'help', ...args] = words;
  const root: WebexMessageRef = { roomId: message.roomId, messageId: message.parentId ?? message.id };
  const person = { id: message.personId, email: message.personEmail };
  switch (command.toLowerCase()) {
    case 'help':
      await chat.reply(root, webexHelp());
      return;
    case 'threshold': {
      if (args.length === 0) {
        const view = await readThreshold(deps);
        await chat.reply(
          root,
          webexNotice(
            `Findings below **${view.level}** are not posted (${view.source === 'setting' ? 'set with the threshold command' : 'the configured default'}).`,
          ),
        );
        return;
      }
      const level = parseSeverity(args[0]!);
      if (!level) {
        await chat.reply(root, webexNotice(`${webexText(args[0]!, 40)} is not a severity.`));
        return;
      }
      const change = await setThreshold(
        {
          level,
          actor: { kind: 'webex', id: person.id },
          allowed: isWebexAdmin(person, deps.config.webex?.admins ?? []),
        },
        deps,
      );
      await chat.reply(root, webexNotice(thresholdWords(change, person.id)));
      return;
    }
    case 'case': {
      const number = parseCaseNumber(args.join(' '));
      const found =
        number === undefined
          ? undefined
          : await lookupCase(number, organisationsOfRoom(deps.config, root.roomId), deps);
      if (!found || found.outcome !== 'found') {
        await chat.reply(
          root,
          webexNotice(`No case ${webexText(args.join(' ') || '?', 40)} is known to Hivewire.`),
        );
        return;
      }
      const alert = found.alert;
      await chat.reply(
        root,
        webexNotice(
          `Case #${number}: ${webexText(alert.finding.title)} · ${alert.case ? webexText(alert.case.status) : 'opened'}`,
        ),
      );
      return;
    }
    case 'lookup': {
      const { targets, skipped } = lookupTargetsFromText(args.join(' '));
      if (targets.length === 0) {
        await chat.reply(root, webexNothingToLookUp(skipped));
        return;
      }
      await queueLookup(
        targets,
        person.id,
        { to: 'chat', platform: 'webex', channel: root.roomId, messageId: root.messageId },
        deps,
      );
      await chat.reply(root, webexLookupStarted(person.id, targets.length, skipped));
      return;
    }
    default:
      await chat.reply(
        root,
        webexNotice(`${webexText(command, 40)} is not a Hivewire command. Try \`@Hivewire help\`.`),
      );
  }
}

/** Runs one `webex-event` job. */
export async function handleWebexEvent(job: JobOf<'webex-event'>, deps: WebexEventDeps): Promise<void> {
  const chat = webexChatOf(deps.chats);
  const client = chat.client;
  if (job.resource === 'attachmentActions') await onCardSubmitted(job, chat, deps, client);
  else await onMessage(job, chat, deps, client);
}
