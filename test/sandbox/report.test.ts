/**
 * The console offers the app's message shortcuts on its messages: "Report to SOC" on a user's message
 * sends a signed `message_action`, the bot's modal opens in the console, and its submission ends as one
 * TheHive alert in the sandbox TheHive (which refuses a second with the same sourceRef, as TheHive
 * does), one Hivewire alert in the alerts channel and a DM to each reporter.
 */
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';

const CHANNEL = SANDBOX_DEFAULTS.alertChannel;
let product: InProcessSandbox;

beforeAll(async () => {
  product = await startInProcessSandbox();
});
afterAll(async () => {
  await product?.close();
});

async function consoleAction(name: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${product.server.url}/sandbox/console/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  expect({ name, status: response.status, answer }).toMatchObject({ status: 200 });
  return answer;
}

async function consoleState(user: string) {
  const response = await fetch(`${product.server.url}/sandbox/console/state?user=${user}`);
  return (await response.json()) as {
    shortcuts: { name: string; callbackId: string }[];
    modal: { id: string; view: { callback_id: string; blocks: { block_id?: string }[] } } | null;
  };
}

/** Reports message `ts` as `user` through the console, as a person would: the shortcut, then Report. */
async function reportAs(user: string, ts: string): Promise<void> {
  const state = await consoleState(user);
  const [shortcut] = state.shortcuts;
  await consoleAction('shortcut', { channel: CHANNEL, ts, callbackId: shortcut!.callbackId, userId: user });
  const { modal } = await consoleState(user);
  expect(modal?.view.callback_id).toBe('hivewire.report_modal');
  const submitted = await consoleAction('view/submit', {
    viewId: modal!.id,
    userId: user,
    // What the console sends: the prefilled title as it stands, the choices made.
    values: {
      'hivewire.report.title': { 'hivewire.report.title_input': { value: 'Reported: payroll phishing' } },
      'hivewire.report.severity': { 'hivewire.report.severity_select': { selected: ['HIGH'] } },
      'hivewire.report.note': { 'hivewire.report.note_input': { value: 'Three of us got it' } },
    },
  });
  expect(submitted.result).toBe('ok');
  expect((await consoleState(user)).modal).toBeNull();
  await product.runtime.queue.drain();
}

test('the console offers the app’s message shortcuts', async () => {
  expect((await consoleState('U0CAROL')).shortcuts).toEqual([
    { name: 'Report to SOC', callbackId: 'hivewire.report_to_soc' },
  ]);
});

test('a message reported twice from the console is one TheHive alert, one Hivewire alert, a DM each', async () => {
  const { ts } = (await consoleAction('message', {
    channel: CHANNEL,
    userId: 'U0CAROL',
    text: 'Is this phishing? mail from payroll@examp1e-pay.com links to hxxps://examp1e-pay[.]com/login',
  })) as { ts: string };

  await reportAs('U0CAROL', ts);
  await reportAs('U0BOB', ts);

  const { theHive, workspace } = product.sandbox;
  const reported = theHive.getAlert(`slack-report;slack;T0SANDBOX-${CHANNEL}-${ts}`);
  expect(reported).toMatchObject({
    type: 'slack-report',
    source: 'slack',
    title: 'Reported: payroll phishing',
  });
  expect(theHive.query({ query: [{ _name: 'listAlert' }] }).result).toHaveLength(1);

  const alerts = workspace
    .history(CHANNEL)
    .messages.filter((message) => message.metadata?.event_type === 'hivewire_alert');
  expect(alerts).toHaveLength(1);
  const dms = workspace
    .listConversations()
    .filter((conversation) => conversation.kind === 'im')
    .flatMap((conversation) => workspace.history(conversation.id).messages.map((message) => message.text));
  expect(dms).toHaveLength(2);
  expect(dms).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^✅ Thanks: your report is with the SOC as <http:\/\/127\.0\.0\.1:\d+\/.*\|its alert>\.$/,
      ),
      expect.stringMatching(/^✅ <@U0CAROL> already reported this message to the SOC/),
    ]),
  );
});
