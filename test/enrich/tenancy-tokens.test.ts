/**
 * Many customers: every Slack call about a customer's workspace is made with that workspace's own token
 * (its OAuth installation), asserted at the HTTP layer: "Report to SOC" (the permalink, the reporter's
 * DM, the TheHive alert in the customer's organisation), the case's assignee looked up among the
 * customer's people, and the chat port's person look-up and DM.
 */
import { REPORT_SHORTCUT } from '../../blocks/actions';
import { REPORT_CUSTOMER_BLOCK } from '../../blocks/analyst/actions';
import { SlackChat } from '../../src/chat/slack/adapter';
import { theHiveCase } from '../clients/thehive/fixtures';
import { ACME, BETA, SOC, startCustomersHarness, type CustomersHarness } from '../helpers/customers';
import { reportSubmission } from '../helpers/report';
import { caseEvent } from '../helpers/sync';

let h: CustomersHarness;

beforeEach(async () => {
  h = await startCustomersHarness();
  // Acme installed the app through OAuth; its token is in the store, encrypted.
  await h.install(ACME.team, ACME.token);
});

afterEach(async () => {
  await h.close();
});

const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** The message shortcut on a message of Acme's #general, by Acme's employee. */
function shortcut(team: string) {
  return form({
    type: 'message_action',
    callback_id: REPORT_SHORTCUT,
    team: { id: team, domain: team.toLowerCase() },
    user: { id: 'U0REPORTER', username: 'reporter', name: 'reporter', team_id: team },
    channel: { id: 'C0GENERAL', name: 'general' },
    message: { type: 'message', user: 'U0EMPLOYEE', ts: '1764064700.000200', text: 'Is this phishing?' },
    message_ts: '1764064700.000200',
    response_url: `https://hooks.slack.com/app/${team}/1/shortcut`,
    trigger_id: '777.888.trigger',
    action_ts: '1764064900.000300',
    token: 'legacy-token',
    is_enterprise_install: false,
  });
}

/** The report modal submitted from `team`, for `customer` when given (the provider's modal has a select). */
function submission(team: string, privateMetadata: string, customer?: string) {
  return form(
    reportSubmission({
      team: { id: team, domain: team.toLowerCase() },
      reporter: 'U0REPORTER',
      privateMetadata,
      title: 'Phishing?',
      severity: 'HIGH',
      customer,
    }),
  );
}

/** Opens the report modal from `team`; resolves to the modal Hivewire opened (and the token it used). */
async function openReport(team: string) {
  expect((await h.slack(shortcut(team))).status).toBe(200);
  const open = h.slackCalls.find((call) => call.method === 'views.open');
  expect(open).toBeDefined();
  return { token: open!.token, view: JSON.parse(String(open!.args.view)) as Record<string, unknown> };
}

describe('Report to SOC in a customer’s workspace', () => {
  test('the modal, the permalink, the TheHive alert and the reporter’s DM are all Acme’s', async () => {
    const opened = await openReport(ACME.team);
    expect(opened.token).toBe(ACME.token);
    // Only Acme can be reported for from Acme's workspace: the modal offers no choice of customer.
    expect(JSON.stringify(opened.view.blocks)).not.toContain(REPORT_CUSTOMER_BLOCK);
    const submitted = await h.slack(submission(ACME.team, String(opened.view.private_metadata)));
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toBe('');
    await h.drain();

    const call = (method: string, args: Record<string, unknown> = {}) =>
      h.slackCalls.filter(
        (c) => c.method === method && Object.entries(args).every(([key, value]) => c.args[key] === value),
      );
    expect(call('chat.getPermalink', { channel: 'C0GENERAL' }).map((c) => c.token)).toEqual([ACME.token]);
    expect(call('conversations.open', { users: 'U0REPORTER' }).map((c) => c.token)).toEqual([ACME.token]);
    expect(call('chat.postMessage', { channel: 'D0U0REPORTER' }).map((c) => c.token)).toEqual([ACME.token]);
    expect(call('chat.postMessage', { channel: ACME.channel }).map((c) => c.token)).toEqual([ACME.token]);
    // Nothing but the app's own start-up check used the provider's token.
    expect(h.slackCalls.filter((c) => c.token === SOC.token && c.method !== 'auth.test')).toEqual([]);
    const alerts = h.theHiveCalls.filter((c) => c.method === 'POST' && c.path === '/api/v1/alert');
    expect(alerts.map((c) => c.organisation)).toEqual([ACME.organisation]);
  });

  test('a submission from Acme’s workspace naming another customer is refused, and nothing is filed', async () => {
    const opened = await openReport(ACME.team);
    const submitted = await h.slack(submission(ACME.team, String(opened.view.private_metadata), 'beta'));
    expect(submitted.status).toBe(200);
    expect(await submitted.json()).toEqual({
      response_action: 'errors',
      errors: { [REPORT_CUSTOMER_BLOCK]: 'customer: not configured' },
    });
    await h.drain();
    expect(h.theHiveCalls).toEqual([]);
    expect(h.slackCalls.filter((c) => c.args.channel === BETA.channel)).toEqual([]);
  });

  test('from the provider’s workspace a report may still be filed for any customer', async () => {
    const opened = await openReport(SOC.team);
    expect(opened.token).toBe(SOC.token);
    expect(JSON.stringify(opened.view.blocks)).toContain(REPORT_CUSTOMER_BLOCK);
    const submitted = await h.slack(submission(SOC.team, String(opened.view.private_metadata), 'beta'));
    expect(await submitted.text()).toBe('');
    await h.drain();
    const alerts = h.theHiveCalls.filter((c) => c.method === 'POST' && c.path === '/api/v1/alert');
    expect(alerts.map((c) => [c.organisation, c.authorization])).toEqual([
      [BETA.organisation, `Bearer ${BETA.key}`],
    ]);
    // The reporter is in the provider's workspace: told there, with its token.
    const dm = h.slackCalls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'D0U0REPORTER',
    );
    expect(dm.map((c) => c.token)).toEqual([SOC.token]);
  });
});

test('a case assigned in Acme’s organisation mentions the assignee as Acme’s workspace knows them', async () => {
  await h.seedAlert({
    fingerprint: 'fp-acme',
    channel: ACME.channel,
    ts: '1764064800.000100',
    state: 'escalated',
    caseId: '~acme-1',
    caseNumber: 1,
    case: { status: 'New', stage: 'New', severity: 2 },
    caseUpdatedAt: 1,
    finding: { fingerprint: 'fp-acme', customer: 'acme' },
  });
  const assigned = caseEvent({
    objectId: '~acme-1',
    object: theHiveCase({ _id: '~acme-1', number: 1, assignee: 'bob@acme.test', _updatedAt: 5 }),
    extra: { organisation: { organisationId: '~1', organisation: ACME.organisation } },
  });
  expect((await h.webhook(assigned)).status).toBe(202);
  await h.drain();
  const lookups = h.slackCalls.filter((c) => c.method === 'users.lookupByEmail');
  expect(lookups.map((c) => [c.args.email, c.token])).toEqual([['bob@acme.test', ACME.token]]);
  const reply = h.slackCalls.find((c) => c.method === 'chat.postMessage' && c.args.channel === ACME.channel);
  expect(reply?.token).toBe(ACME.token);
  expect(JSON.stringify(reply?.args)).toContain(`<@U0PERSON${ACME.team}>`);
});

test('the chat port finds a person and DMs them in the customer’s workspace, with its token', async () => {
  const { slack, users } = h.runtime.deps;
  const chat = new SlackChat(slack, users, h.runtime.deps.config);
  const person = await chat.findPerson('bob@acme.test', ACME.team);
  expect(person).toEqual({
    platform: 'slack',
    id: `U0PERSON${ACME.team}`,
    email: 'bob@acme.test',
    workspace: ACME.team,
  });
  const ref = await chat.directMessage(person!, { kind: 'notice', text: 'Was this you?' });
  expect(ref.channel).toBe(`D0U0PERSON${ACME.team}`);
  expect(
    h.slackCalls
      .filter((c) => ['users.lookupByEmail', 'conversations.open', 'chat.postMessage'].includes(c.method))
      .map((c) => [c.method, c.token]),
  ).toEqual([
    ['users.lookupByEmail', ACME.token],
    ['conversations.open', ACME.token],
    ['chat.postMessage', ACME.token],
  ]);
  // Without a workspace the person is looked up in the provider's, as before.
  await chat.findPerson('carol@soc.test');
  expect(h.slackCalls.at(-1)).toMatchObject({ method: 'users.lookupByEmail', token: SOC.token });
});
