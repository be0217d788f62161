/**
 * "Report to SOC" through signed `message_action` and `view_submission` payloads into the real Bolt
 * app, with Slack and TheHive answered by nock at their real hosts: one TheHive alert per reported
 * message (also when reported twice), observables read from the text (defanged ones too), the text
 * escaped for TheHive's Markdown, the alert posted with its buttons and the reporter told privately.
 */
import nock from 'nock';
import { describeEvent } from '../../../src/cli/audit';
import { CREATE_CASE, REPORT_MODAL, REPORT_SHORTCUT } from '../../../blocks/actions';
import {
  REPORT_NOTE_BLOCK,
  REPORT_SEVERITY_BLOCK,
  REPORT_TITLE_BLOCK,
} from '../../../blocks/analyst/actions';
import {
  buttonClick,
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  TEAM,
  type AnalystHarness,
} from '../../helpers/analyst';
import { theHiveAlert, theHiveCase } from '../../clients/thehive/fixtures';
import { reportSubmission } from '../../helpers/report';

const THEHIVE_URL = 'https://thehive.example.test';
const REPORTED = { channel: 'C0USERS', ts: '1764064700.000200', user: 'U0EMPLOYEE' };
const SOURCE_REF = `${TEAM.id}-${REPORTED.channel}-${REPORTED.ts}`;
const MESSAGE_TEXT = [
  'Is this phishing? "Your mailbox is full" from it-support@examp1e-login.com',
  'link hxxps://login-examp1e[.]com/reset?u=jdoe and <https://evil-site.com/a|evil-site.com/a>',
  'attachment 44d88612fea8a8f36de82e1278abb02f, sender 198.51.100[.]77',
  '*urgent* [click](https://evil.example) &lt;b&gt;',
].join('\n');

interface Call {
  method: string;
  args: Record<string, string>;
}

let harness: AnalystHarness;
let slack: Call[];
let theHiveAlerts: Record<string, unknown>[];
let responseUrlBodies: unknown[];
/** What TheHive answers every alert creation with, when set. */
let refusal: [number, Record<string, string>] | undefined;

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  harness = await startAnalystHarness('');
  mockAuthTest();
  slack = [];
  theHiveAlerts = [];
  responseUrlBodies = [];
  refusal = undefined;
  let ts = 0;
  nock('https://slack.com')
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply((uri, body) => {
      const method = uri.replace('/api/', '');
      const args = slackForm(body);
      slack.push({ method, args });
      switch (method) {
        case 'chat.getPermalink':
          return [
            200,
            {
              ok: true,
              channel: args.channel,
              permalink: `https://example.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
            },
          ];
        case 'conversations.open':
          return [200, { ok: true, channel: { id: `D0${String(args.users).slice(1)}` } }];
        default:
          ts += 1;
          return [200, { ok: true, channel: args.channel, ts: `1764065000.${String(ts).padStart(6, '0')}` }];
      }
    });
  nock('https://hooks.slack.com')
    .persist()
    .post(/.*/)
    .reply((_uri, body) => {
      responseUrlBodies.push(body);
      return [200, 'ok'];
    });
  nock(THEHIVE_URL)
    .persist()
    .post('/api/v1/alert')
    .reply((_uri, body) => {
      if (refusal) return refusal;
      const input = body as Record<string, unknown>;
      const duplicate = theHiveAlerts.some(
        (a) => a.type === input.type && a.source === input.source && a.sourceRef === input.sourceRef,
      );
      if (duplicate)
        return [400, { type: 'CreateError', message: `Alert ${String(input.sourceRef)} already exists` }];
      theHiveAlerts.push(input);
      return [
        201,
        theHiveAlert({ _id: '~8192', type: 'slack-report', source: 'slack', sourceRef: SOURCE_REF }),
      ];
    });
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

function shortcut(reporter: string): Record<string, unknown> {
  return {
    type: 'message_action',
    callback_id: REPORT_SHORTCUT,
    team: TEAM,
    user: { id: reporter, username: reporter.toLowerCase(), name: reporter.toLowerCase(), team_id: TEAM.id },
    channel: { id: REPORTED.channel, name: 'general' },
    message: { type: 'message', user: REPORTED.user, ts: REPORTED.ts, text: MESSAGE_TEXT },
    message_ts: REPORTED.ts,
    response_url: `https://hooks.slack.com/app/${TEAM.id}/1/shortcut`,
    trigger_id: '777.888.trigger',
    action_ts: '1764064900.000300',
    token: 'legacy-token',
    is_enterprise_install: false,
  };
}

function submission(reporter: string, privateMetadata: string, values: { title: string; severity?: string }) {
  return reportSubmission({
    team: TEAM,
    reporter,
    privateMetadata,
    ...values,
    note: 'Came in to three people',
  });
}

/** Reports the message as `reporter`: the shortcut, then the modal submitted as it was opened. */
async function report(reporter: string): Promise<Record<string, unknown>> {
  const before = slack.length;
  const opened = await harness.interact(shortcut(reporter));
  expect(opened.status).toBe(200);
  const open = slack.slice(before).find((call) => call.method === 'views.open');
  expect(open?.args.trigger_id).toBe('777.888.trigger');
  const view = JSON.parse(open!.args.view!) as { private_metadata: string; blocks: unknown[] };
  const submitted = await harness.interact(
    submission(reporter, view.private_metadata, {
      title: 'Reported: "Your mailbox is full"',
      severity: 'HIGH',
    }),
  );
  expect(submitted.status).toBe(200);
  expect(submitted.body).toBe('');
  return view;
}

const channelPosts = () =>
  slack.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0SECOPS');
const dms = () =>
  slack.filter((call) => call.method === 'chat.postMessage' && call.args.channel?.startsWith('D0'));

test('the shortcut opens the modal with the title prefilled, the severity and a note', async () => {
  const view = (await report('U0ALICE')) as {
    callback_id: string;
    blocks: { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } }[];
  };
  expect(view.callback_id).toBe(REPORT_MODAL);
  const byId = Object.fromEntries(view.blocks.map((block) => [block.block_id, block.element]));
  expect(byId[REPORT_TITLE_BLOCK]?.initial_value).toBe(
    'Reported: Is this phishing? "Your mailbox is full" from it-support@examp1e-login.com',
  );
  expect(byId[REPORT_SEVERITY_BLOCK]?.initial_option?.value).toBe('MEDIUM');
  // One customer configured: no customer choice.
  expect(Object.keys(byId)).not.toContain('hivewire.report.customer');
  expect(Object.keys(byId)).toContain(REPORT_NOTE_BLOCK);
});

test('a report becomes one TheHive alert and one Hivewire alert, and the reporter is told with a link', async () => {
  await report('U0ALICE');
  const ran = await harness.runJobs();
  expect(ran.map((job) => job.kind)).toEqual(['report']);

  expect(theHiveAlerts).toHaveLength(1);
  const created = theHiveAlerts[0] as {
    type: string;
    source: string;
    sourceRef: string;
    title: string;
    severity: number;
    description: string;
    tags: string[];
    observables: { dataType: string; data: string }[];
  };
  expect(created).toMatchObject({
    type: 'slack-report',
    source: 'slack',
    sourceRef: SOURCE_REF,
    title: 'Reported: "Your mailbox is full"',
    severity: 3,
  });
  // Reserved names (`evil.example`) are not indicators; defanged ones are read as they are meant.
  expect(created.observables.map(({ dataType, data }) => ({ dataType, data }))).toEqual([
    { dataType: 'url', data: 'https://login-examp1e.com/reset?u=jdoe' },
    { dataType: 'url', data: 'https://evil-site.com/a' },
    { dataType: 'mail', data: 'it-support@examp1e-login.com' },
    { dataType: 'ip', data: '198.51.100.77' },
    { dataType: 'hash', data: '44d88612fea8a8f36de82e1278abb02f' },
  ]);
  // The message as a person reads it, escaped for TheHive's Markdown: links defanged, no formatting.
  // (An already defanged `[.]` keeps its brackets escaped: it renders as written.)
  expect(created.description).toContain(
    'link hxxps://login-examp1e\\[.\\]com/reset?u=jdoe and hxxps://evil-site[.]com/a',
  );
  expect(created.description).toContain('\\*urgent\\* \\[click\\](hxxps://evil[.]example) \\<b>');
  expect(created.description).toContain('Posted by Slack user U0EMPLOYEE in C0USERS:');
  expect(created.description).not.toContain('https://evil');
  expect(created.description).toContain(
    `[The reported Slack message](https://example.slack.com/archives/${REPORTED.channel}/p1764064700000200)`,
  );
  expect(created.description).toContain('Note from the reporter: Came in to three people');
  expect(created.description).toContain('Reported to the SOC from Slack by Slack user U0ALICE');

  // Posted in the alert channel with the usual buttons.
  expect(channelPosts()).toHaveLength(1);
  const blocks = JSON.parse(channelPosts()[0]!.args.blocks!) as {
    type: string;
    elements?: { action_id: string }[];
  }[];
  const buttons = blocks.flatMap((block) => block.elements ?? []).map((element) => element.action_id);
  expect(buttons).toEqual(expect.arrayContaining(['hivewire.create_case', 'hivewire.ignore']));

  // The private confirmation, with a link to the alert.
  expect(dms()).toHaveLength(1);
  expect(dms()[0]!.args.channel).toBe('D00ALICE');
  expect(dms()[0]!.args.text).toMatch(
    /^✅ Thanks: your report is with the SOC as <https:\/\/example\.slack\.com\/archives\/C0SECOPS\/p\d+\|its alert>\.$/,
  );

  const audit = await harness.deps.store.listAudit(`slack-report-${SOURCE_REF}`);
  expect(audit.map((event) => event.action)).toEqual(['received', 'posted', 'reported']);
  expect(describeEvent(audit[2]!, harness.config)).toBe(
    `reported to the SOC from Slack (${SOURCE_REF}) https://example.slack.com/archives/${REPORTED.channel}/p1764064700000200`,
  );
});

test('a message reported twice (and submitted twice) is one TheHive alert and one Slack alert', async () => {
  await report('U0ALICE');
  await harness.runJobs();
  await report('U0BOB');
  await report('U0ALICE');
  await harness.runJobs();

  expect(theHiveAlerts).toHaveLength(1);
  expect(channelPosts()).toHaveLength(1);
  expect(dms().map((call) => call.args.channel)).toEqual(['D00ALICE', 'D00BOB']);
  expect(dms()[1]!.args.text).toMatch(
    /^✅ <@U0ALICE> already reported this message to the SOC: your report is added to <https:\/\/example\.slack\.com\/archives\/C0SECOPS\/p\d+\|its alert>\.$/,
  );
  const alert = await harness.deps.store.getAlert(`slack-report-${SOURCE_REF}`);
  expect(alert?.reports?.map((entry) => entry.by)).toEqual(['U0ALICE', 'U0BOB']);
});

test('a submission without a severity is refused, naming the field', async () => {
  await harness.interact(shortcut('U0ALICE'));
  const open = slack.find((call) => call.method === 'views.open');
  const view = JSON.parse(open!.args.view!) as { private_metadata: string };
  const response = await harness.interact(submission('U0ALICE', view.private_metadata, { title: 'x' }));
  expect(JSON.parse(response.body)).toEqual({
    response_action: 'errors',
    errors: { [REPORT_SEVERITY_BLOCK]: expect.stringMatching(/^severity: /) },
  });
  expect(harness.jobs).toEqual([]);
});

test('when the config restricts who may report, anyone else is told privately and no modal opens', async () => {
  await harness.close();
  harness = await startAnalystHarness('report: { allowedUsers: [U0ALICE] }');
  const response = await harness.interact(shortcut('U0MALLORY'));
  expect(response.status).toBe(200);
  expect(slack.filter((call) => call.method === 'views.open')).toEqual([]);
  expect(responseUrlBodies).toEqual([
    expect.objectContaining({
      response_type: 'ephemeral',
      text: 'You are not on the list of people who may report messages to the SOC: ask the security team.',
    }),
  ]);
  await harness.interact(shortcut('U0ALICE'));
  expect(slack.filter((call) => call.method === 'views.open')).toHaveLength(1);
});

test('Create Case on a reported message promotes the TheHive alert the report made: still one alert', async () => {
  await report('U0ALICE');
  await harness.runJobs();
  const found: unknown[] = [];
  const promoted: string[] = [];
  nock(THEHIVE_URL)
    .post('/api/v1/query')
    .query(true)
    .reply(200, (_uri, body) => {
      found.push(body);
      return [theHiveAlert({ _id: '~8192', type: 'slack-report', source: 'slack', sourceRef: SOURCE_REF })];
    })
    .post('/api/v1/alert/~8192/case')
    .reply(201, (uri) => {
      promoted.push(uri);
      return theHiveCase({ _id: '~16384', number: 7 });
    });

  const fingerprint = `slack-report-${SOURCE_REF}`;
  const alert = await harness.deps.store.getAlert(fingerprint);
  const click = await harness.interact(
    buttonClick({ actionId: CREATE_CASE, value: fingerprint, messageTs: alert!.ts! }),
  );
  expect(click.status).toBe(200);
  await harness.runJobs();

  expect(theHiveAlerts).toHaveLength(1);
  expect(found).toEqual([{ query: [{ _name: 'getAlert', idOrName: `slack-report;slack;${SOURCE_REF}` }] }]);
  expect(promoted).toEqual(['/api/v1/alert/~8192/case']);
  expect(await harness.deps.store.getAlert(fingerprint)).toMatchObject({
    state: 'escalated',
    caseId: '~16384',
    caseNumber: 7,
  });
});

test('a report TheHive refuses for good is kept as a dead letter and the reporter is told', async () => {
  refusal = [403, { type: 'AuthorizationError', message: 'Your account is locked' }];

  await report('U0ALICE');
  await harness.runJobs();

  const letters = await harness.deps.store.listDeadLetters(10);
  expect(letters).toEqual([expect.objectContaining({ kind: 'job:report' })]);
  expect(dms().map((call) => call.args.text)).toEqual([
    expect.stringMatching(/^❌ Your report could not be filed: `.*Your account is locked.*`\. It is kept/),
  ]);
});
