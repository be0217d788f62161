/**
 * Every analyst message with hostile input: whatever a finding, a SIEM, a threat-intel service, TheHive
 * or a user puts in a field, the rendered mrkdwn pings, links and formats nothing, and the message stays
 * within Block Kit's limits.
 */
import { caseSummary } from '../../../blocks/analyst/case-summary';
import { helpMessage, unknownSubcommand, usageHelp } from '../../../blocks/analyst/help';
import { ignoredThreadReply, ignoreModal } from '../../../blocks/analyst/ignore';
import { lookupResults } from '../../../blocks/analyst/lookup';
import { responseActionResultReply } from '../../../blocks/analyst/response-actions';
import { thresholdShown } from '../../../blocks/analyst/threshold';
import {
  groupMention,
  triageAnswerReply,
  triageAnsweredDm,
  triageQuestion,
  triageRaisedMessage,
} from '../../../blocks/analyst/triage';
import { MESSAGE_TEXT_BUDGET } from '../../../blocks/limits';
import type { TargetReport } from '../../../src/domain/lookups';
import type { TriageRecord } from '../../../src/domain/triage';
import type { AuditEvent } from '../../../src/domain/audit';
import { makeAlertRecord } from '../../helpers/alerts';
import { blocksTextLength, limitViolations, mrkdwnProblem, textObjects } from '../../helpers/slack-message';

const HOSTILE = '<!channel> <@U0BOSS> <https://evil.example|Open in TheHive> & *bold* `tick` <!subteam^S0X>';
const HUGE = `${HOSTILE} ${'A'.repeat(100_000)}`;

/** The message's problems: unsafe mrkdwn anywhere (the configured on-call mention excepted) and broken limits. */
function problems(message: { text: string; blocks: unknown[] }, allowed: string[] = []): string[] {
  const found = textObjects(message)
    .filter((object) => object.type !== 'plain_text')
    .map((object) => mrkdwnProblem(allowed.reduce((text, token) => text.split(token).join(''), object.text)))
    .filter((problem): problem is string => problem !== undefined);
  return [...found, ...limitViolations(message)];
}

const triageRecord: TriageRecord = {
  id: 'b3c1d2e4-0000-4000-8000-000000000001',
  origin: 'siem',
  identifier: HOSTILE,
  alertName: HUGE,
  summary: HUGE,
  email: 'jdoe@example.com',
  identityConfidence: HOSTILE,
  requestedBy: 'siem',
  requestedAt: '2026-11-25T10:00:00.000Z',
  timeoutMinutes: 60,
  state: 'asked',
  slackUserId: 'U0JDOE',
  done: {},
};

describe('analyst messages with hostile input', () => {
  it('lookup results: every service answer is inert, and ten huge indicators stay within the budget', () => {
    const report: TargetReport = {
      target: { dataType: 'url', value: HUGE },
      results: [
        {
          source: 'RDAP',
          ok: true,
          answer: {
            kind: 'rdap-domain',
            domain: { name: HOSTILE, registrar: HUGE, registrant: HOSTILE, registered: HOSTILE, status: [] },
          },
        },
        {
          source: 'VirusTotal',
          ok: true,
          answer: {
            kind: 'virustotal',
            report: {
              found: true,
              malicious: 1,
              suspicious: 0,
              harmless: 0,
              undetected: 0,
              fileName: HUGE,
              fileType: HOSTILE,
              link: 'https://evil.example/report',
            },
          },
        },
        {
          source: 'URLhaus',
          ok: true,
          answer: {
            kind: 'urlhaus',
            report: { listed: true, threat: HOSTILE, tags: [HOSTILE, HUGE], link: 'https://evil.example/|x' },
          },
        },
        { source: 'AbuseIPDB', ok: false, error: HUGE },
      ],
    };
    const message = lookupResults({
      reports: Array.from({ length: 10 }, () => report),
      sources: ['RDAP', 'VirusTotal', 'AbuseIPDB', 'URLhaus'],
      now: new Date('2026-11-25T10:00:00Z'),
    });
    expect(problems(message)).toEqual([]);
    expect(blocksTextLength(message)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
    // Report links are only ever built for the services' own hosts.
    expect(JSON.stringify(message)).not.toContain('evil.example/report');
  });

  it('case summary: TheHive values, audit details and a long timeline are inert and within limits', () => {
    const alert = makeAlertRecord({
      state: 'escalated',
      caseNumber: 42,
      caseUrl: 'https://evil.example/cases/1',
      permalink: 'javascript:alert(1)',
      case: { status: HOSTILE, stage: HOSTILE, assignee: HUGE },
      finding: { title: HUGE },
    });
    const timeline: AuditEvent[] = Array.from({ length: 15 }, (_, i) => ({
      fingerprint: alert.fingerprint,
      at: `2026-11-25T10:${String(i).padStart(2, '0')}:00.000Z`,
      actor: { kind: 'thehive', id: HOSTILE },
      action: i % 2 ? 'ignored' : HOSTILE,
      details: { reasonLabel: HUGE, note: HUGE },
    }));
    const message = caseSummary({ alert, timeline, omitted: 3, theHiveUrl: 'https://thehive.example.test' });
    expect(problems(message)).toEqual([]);
    // Neither the case URL outside TheHive nor a non-web permalink becomes a link.
    expect(JSON.stringify(message)).not.toContain('<https://evil.example/cases/1|');
    expect(JSON.stringify(message)).not.toContain('javascript:');
  });

  it('"was this you?": the SIEM\'s alert name, summary and confidence are inert in the DM and the raised message', () => {
    expect(problems(triageQuestion(triageRecord))).toEqual([]);
    expect(problems(triageAnsweredDm(triageRecord, 'no'))).toEqual([]);
    const raised = triageRaisedMessage({ record: triageRecord, slackUserId: 'U0JDOE', onCall: 'S0ONCALL' });
    expect(problems(raised, ['<!subteam^S0ONCALL>'])).toEqual([]);
  });

  it('pages only a configured user group id, never anything else', () => {
    expect(groupMention('S0ONCALL')).toBe('<!subteam^S0ONCALL>');
    expect(groupMention('S0X> <!channel')).toBe('');
    expect(triageAnswerReply({ slackUserId: '<!here>', response: 'no', onCall: '!channel' }).text).toBe(
      "🚨 `&lt;!here&gt;` answered: *No, it wasn't me*. This activity needs attention.",
    );
  });

  it('ignore, response-action, threshold and usage replies keep user and AWS text inert', () => {
    expect(
      problems(ignoredThreadReply({ person: 'U0ANALYST', reason: HUGE, suppressesSecurityHub: true })),
    ).toEqual([]);
    expect(
      problems(responseActionResultReply({ label: HOSTILE, person: 'U0BOB', ok: false, summary: HUGE })),
    ).toEqual([]);
    expect(
      problems(
        thresholdShown({
          level: 'HIGH',
          source: 'setting',
          configured: 'MEDIUM',
          customers: [{ customer: HOSTILE, level: 'LOW' }],
        }),
      ),
    ).toEqual([]);
    expect(problems(usageHelp(unknownSubcommand(HOSTILE)))).toEqual([]);
    expect(problems(helpMessage())).toEqual([]);
  });

  it('the ignore modal shows a huge title as plain text within its limits', () => {
    const modal = ignoreModal(makeAlertRecord({ finding: { title: HUGE } }));
    expect(modal.private_metadata).toBe('gd-4f1c2a9e7b3d5c60');
    expect(limitViolations({ text: '', blocks: modal.blocks })).toEqual([]);
  });
});
