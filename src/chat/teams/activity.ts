/**
 * The Bot Framework activities Hivewire reads, parsed with zod once the Teams SDK has authenticated
 * the request (never before): installs, card clicks (Action.Execute invokes), @mentions. Only the
 * fields the product uses are named; Teams sends many more, which are let through untouched.
 */
import * as z from '../../validation/zod';
import { TRIAGE_NO, TRIAGE_UNSURE, TRIAGE_YES } from '../../../blocks/actions';

/**
 * The id Hivewire keeps for a Teams person, wherever it names them (audit, jobs, the person asked, who may
 * answer): their Entra object id, which stays the same across the tenant's teams, else their channel
 * account id. One rule, so the id a question is asked under is the id its answer comes back with.
 */
export function teamsPersonId(person: { aadObjectId?: string; id: string }): string {
  return person.aadObjectId ?? person.id;
}

const account = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  aadObjectId: z.optional(z.string()),
});

export const activitySchema = z.looseObject({
  type: z.string().check(z.minLength(1)),
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  action: z.optional(z.string()),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string(),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().check(z.minLength(1)),
    conversationType: z.optional(z.string()),
    tenantId: z.optional(z.string()),
  }),
  replyToId: z.optional(z.string()),
  text: z.optional(z.string()),
  value: z.optional(z.unknown()),
  membersAdded: z.optional(z.array(account)),
  channelData: z.optional(
    z.looseObject({
      eventType: z.optional(z.string()),
      team: z.optional(z.looseObject({ id: z.string(), name: z.optional(z.string()) })),
      channel: z.optional(z.looseObject({ id: z.string(), name: z.optional(z.string()) })),
      tenant: z.optional(z.looseObject({ id: z.string() })),
    }),
  ),
});
export type TeamsActivity = z.infer<typeof activitySchema>;

/** (contract) What every Hivewire card action carries: Slack's action id and the alert's fingerprint. */
export const cardActionDataSchema = z.looseObject({
  action: z.string().check(z.startsWith('hivewire.')),
  fingerprint: z.string().check(z.minLength(1), z.maxLength(512)),
});

/**
 * (contract) What a "was this you?" answer carries (cards/triage.ts): the answer's action id and the
 * question's id; the question may be a SIEM's, with no alert.
 */
export const triageAnswerDataSchema = z.object({
  action: z.enum([TRIAGE_YES, TRIAGE_NO, TRIAGE_UNSURE]),
  id: z.string().check(z.minLength(1), z.maxLength(256)),
});

/** An `adaptiveCard/action` invoke's value (Action.Execute): the verb and the data the card set. */
export const cardActionSchema = z.looseObject({
  action: z.looseObject({
    type: z.literal('Action.Execute'),
    verb: z.optional(z.string()),
    data: z.union([triageAnswerDataSchema, cardActionDataSchema]),
  }),
});
