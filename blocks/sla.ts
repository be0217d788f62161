/**
 * SLA watch messages: the thread reply for a warning, a breach, the leads' call and a stopped clock,
 * the status line's breach, and the `/hivewire sla` list. Pure: the decisions are made in
 * `src/cases/sla-policy.ts`; group ids come from the config file and are checked again here.
 */
import type { KnownBlock } from '@slack/types';
import type { SlaAnnouncement, SlaReading } from '../src/domain/sla';
import type { AlertRecord } from '../src/domain/alert';
import { SEVERITY_MARKERS } from './alert';
import { caseName } from './case-link';
import { context, mrkdwn, section } from './elements';
import { literal, mention } from './escape';
import { groupMention } from './analyst/triage';
import type { Reply } from './replies';
import { formatMinutes, LIMIT_NAMES } from './sla-clock';

function waited(announcement: Pick<SlaAnnouncement, 'clock' | 'waitedMinutes' | 'stage'>): string {
  const time = formatMinutes(announcement.waitedMinutes);
  return announcement.clock === 'acknowledge'
    ? `has waited ${time} in ${literal(announcement.stage)}`
    : `has been open ${time}`;
}

function calledOnText(calledOn: SlaAnnouncement['calledOn']): string {
  if (!calledOn) return '';
  const who = 'user' in calledOn ? mention(calledOn.user) : groupMention(calledOn.group);
  return who ? ` Calling on ${who}.` : '';
}

/** The thread reply for one SLA announcement. */
export function slaReply(
  alert: Pick<AlertRecord, 'caseNumber' | 'caseId'>,
  announcement: SlaAnnouncement,
): Reply {
  const name = `*${caseName(alert)}*`;
  const limit = `${LIMIT_NAMES[announcement.clock]} (${formatMinutes(announcement.limitMinutes)})`;
  const over = formatMinutes(Math.max(0, announcement.waitedMinutes - announcement.limitMinutes));
  let line: string;
  switch (announcement.tier) {
    case 'warning':
      line = `⏳ ${name} ${waited(announcement)}: its ${limit} is close.`;
      break;
    case 'breach':
      line = `🚨 ${name} ${waited(announcement)}: past its ${limit}.`;
      break;
    case 'leads':
      line = `🚨 ${name} ${waited(announcement)}: ${over} past its ${limit}.`;
      break;
    case 'stopped':
      line =
        announcement.clock === 'acknowledge'
          ? `✅ ${name} was acknowledged after ${formatMinutes(announcement.waitedMinutes)}: its ${LIMIT_NAMES.acknowledge} no longer counts.`
          : `✅ ${name} was closed after ${formatMinutes(announcement.waitedMinutes)}: its ${LIMIT_NAMES.resolve} no longer counts.`;
      break;
  }
  const text = line + calledOnText(announcement.calledOn);
  return { text, blocks: [section(mrkdwn(text))] };
}

/** One case in `/hivewire sla`. */
export interface SlaStanding {
  alert: Pick<AlertRecord, 'caseNumber' | 'caseId' | 'severity' | 'permalink'>;
  reading: SlaReading;
}

/** The `/hivewire sla` answer: the cases closest to or past their limits, most urgent first. */
export function slaList(standings: SlaStanding[], scope: string | undefined): Reply {
  const where = scope ? ` for ${literal(scope)}` : '';
  if (standings.length === 0) {
    const text = `No open case has an SLA running${where}.`;
    return { text, blocks: [section(mrkdwn(text))] };
  }
  const lines = standings.map(({ alert, reading }) => {
    const share = Math.floor((reading.waitedMs / (reading.limitMinutes * 60_000)) * 100);
    const marker = reading.due === 'breach' || reading.due === 'leads' ? '🚨' : reading.due ? '⏳' : '⌛';
    const waitedText = formatMinutes(Math.floor(reading.waitedMs / 60_000));
    return `${marker} *${caseName(alert)}* ${SEVERITY_MARKERS[alert.severity]} · ${LIMIT_NAMES[reading.clock]} ${waitedText} of ${formatMinutes(reading.limitMinutes)} (${share} %)`;
  });
  const blocks: KnownBlock[] = [
    section(mrkdwn(`*Cases closest to their SLA${where}*\n${lines.join('\n')}`)),
    context(mrkdwn('Most urgent first; 🚨 past the limit, ⏳ warned.')),
  ];
  return { text: `Cases closest to their SLA${where}: ${standings.length}`, blocks };
}
