/**
 * "Was this you?": the question put to the person a finding is about, and its answer. The person is
 * asked on one chat platform (the one the Ask the user click came from); the record names them
 * platform-neutrally (`person`). Records written before that named a Slack user (`slackUserId`) and
 * are still read: {@link askedPerson} is the one place that tells the two apart.
 */
import type { ChatPerson, ChatPlatform } from './chat';

export type TriageResponse = 'yes' | 'no' | 'notsure';

export interface TriageRecord {
  id: string;
  origin: 'alert' | 'siem';
  /** The Hivewire alert the question is about (a SIEM's question may match an ingested alert). */
  fingerprint?: string;
  /** The SIEM's id for its alert; for a Hivewire alert, the finding's own id. */
  identifier?: string;
  alertName: string;
  summary: string;
  email: string;
  identityConfidence: string;
  /** The alert's customer; none for a SIEM's question (the provider's own). */
  customer?: string;
  /**
   * The workspace (team id) the person is looked up and asked in: the customer's own, or none for the
   * provider's (`SLACK_BOT_TOKEN`). Only an answer from there counts.
   */
  team?: string;
  /**
   * The analyst who asked (their id on `requestedOn`), `auto` for a configured rule, `siem` for
   * POST /triage.
   */
  requestedBy: string;
  /** The platform the analyst asked from; none: Slack (and every question recorded before Webex/Teams). */
  requestedOn?: ChatPlatform;
  /** The analyst's name, where their platform gave it with the click. */
  requestedByName?: string;
  requestedAt: string;
  timeoutMinutes: number;
  dueAt?: string;
  state: 'asking' | 'asked' | 'answered' | 'expired' | 'failed';
  /** The person asked, on the platform they are asked on. */
  person?: ChatPerson;
  /** A record written before `person`: the Slack user asked (read through {@link askedPerson}). */
  slackUserId?: string;
  /**
   * The direct conversation with the person on their platform (Slack `D…`, Webex direct roomId, Teams
   * 1:1 conversation id) and the question's message id in it (Slack `ts`).
   */
  channel?: string;
  ts?: string;
  response?: TriageResponse | 'noanswer';
  answeredAt?: string;
  failure?: string;
  /** Follow-up steps already done. */
  done: {
    asked?: boolean;
    scheduled?: boolean;
    threaded?: boolean;
    commented?: boolean;
    siem?: boolean;
    raised?: boolean;
    /**
     * Thread replies already posted, per reply and platform (`asked:webex`, `threaded:teams`, …), so a
     * retry after one platform failed does not post again on those that did not.
     */
    replies?: string[];
  };
}

export type TriageRequest =
  | { outcome: 'requested'; triageId: string }
  | { outcome: 'pending'; since: string; person?: ChatPerson }
  | { outcome: 'no-person' }
  | { outcome: 'no-email'; name: string }
  | { outcome: 'unknown-alert' };

/** What people type for each answer, the answer buttons' own titles included ("No, it wasn't me"). */
const TYPED_ANSWERS: [TriageResponse, RegExp][] = [
  ['yes', /^(?:y|yes|yep|yeah|it was me|yes it was me)$/],
  ['no', /^(?:n|no|nope|not me|it wasn't me|no it wasn't me|no it was not me)$/],
  ['notsure', /^(?:not sure|unsure|i'm not sure|i don't know|don't know)$/],
];

/**
 * The answer to "was this you?" a person typed in their direct conversation with the bot instead of
 * clicking (Webex and Teams deliver every message written there), or undefined for any other text:
 * case, punctuation around the words and a typographic apostrophe do not matter.
 */
export function typedTriageResponse(text: string): TriageResponse | undefined {
  const words = text
    .toLowerCase()
    .replace(/\u2019/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
  return TYPED_ANSWERS.find(([, typed]) => typed.test(words))?.[0];
}

/** The person a question was put to: its `person`, or the Slack user of a record written before it. */
export function askedPerson(
  record: Pick<TriageRecord, 'person' | 'slackUserId' | 'team'>,
): ChatPerson | undefined {
  if (record.person) return record.person;
  if (!record.slackUserId) return undefined;
  return { platform: 'slack', id: record.slackUserId, ...(record.team ? { workspace: record.team } : {}) };
}
