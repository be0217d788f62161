/**
 * The "Report to SOC" message shortcut and its modal. The shortcut's trigger id expires after 3
 * seconds, so the modal opens here, in the fast path, after one store write that keeps the message;
 * the submission queues the report for the worker.
 */
import type { App, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import { REPORT_MODAL, REPORT_SHORTCUT } from '../../../blocks/actions';
import {
  REPORT_CUSTOMER_BLOCK,
  REPORT_CUSTOMER_INPUT,
  REPORT_NOTE_BLOCK,
  REPORT_NOTE_INPUT,
  REPORT_SEVERITY_BLOCK,
  REPORT_SEVERITY_INPUT,
  REPORT_TITLE_BLOCK,
  REPORT_TITLE_INPUT,
} from '../../../blocks/analyst/actions';
import {
  REPORT_EXPIRED,
  reportModal,
  reportModalNotOpened,
  reportNotAllowed,
} from '../../../blocks/analyst/report';
import {
  keepReportedMessage,
  mayReport,
  reportCustomers,
  reportModalValues,
  submitReport,
} from '../../report/report';
import { readableSlackText, suggestedTitle } from '../../report/report-content';
import type { SlackAppDeps } from '../../wiring/deps';
import { groupMembersOf } from './group-members';

/** Where each modal field is answered, for errors shown under it. */
const FIELD_BLOCKS: Record<string, string> = {
  title: REPORT_TITLE_BLOCK,
  severity: REPORT_SEVERITY_BLOCK,
  customer: REPORT_CUSTOMER_BLOCK,
  note: REPORT_NOTE_BLOCK,
};

/** Registers the shortcut and the modal's submission. */
export function registerReport(app: App, deps: SlackAppDeps): void {
  const members = groupMembersOf(app);

  app.shortcut<MessageShortcut>(
    { type: 'message_action', callback_id: REPORT_SHORTCUT },
    async ({ ack, shortcut, client, respond }) => {
      await ack();
      const reporter = shortcut.user.id;
      const log = deps.logger.createChild({ persistentKeys: { action: REPORT_SHORTCUT, userId: reporter } });
      if (!(await mayReport(reporter, { ...deps, members }))) {
        log.info('report refused: not allowed');
        await respond({ response_type: 'ephemeral', ...reportNotAllowed() } as never).catch(
          (error: unknown) => log.warn('refusal not delivered', { error: String(error) }),
        );
        return;
      }
      const text = shortcut.message.text ?? '';
      const team = shortcut.team?.id ?? shortcut.user.team_id ?? '';
      const draftKey = await keepReportedMessage(
        {
          team,
          channel: shortcut.channel.id,
          ts: shortcut.message.ts,
          text,
          ...(shortcut.message.user ? { user: shortcut.message.user } : {}),
        },
        deps,
      );
      try {
        await client.views.open({
          trigger_id: shortcut.trigger_id,
          view: reportModal({
            privateMetadata: draftKey,
            title: suggestedTitle(text),
            excerpt: readableSlackText(text),
            customers: reportCustomers(deps, team),
          }),
        });
      } catch (error) {
        log.warn('report modal not opened', { error: String(error) });
        await respond({ response_type: 'ephemeral', ...reportModalNotOpened() } as never).catch(
          () => undefined,
        );
      }
    },
  );

  app.view<ViewSubmitAction>(REPORT_MODAL, async ({ ack, body, view }) => {
    const reporter = body.user.id;
    const log = deps.logger.createChild({ persistentKeys: { action: REPORT_MODAL, userId: reporter } });
    const values = view.state.values;
    const customers = reportCustomers(deps, body.team?.id ?? body.user.team_id);
    const parsed = reportModalValues.safeParse({
      title: values[REPORT_TITLE_BLOCK]?.[REPORT_TITLE_INPUT]?.value ?? '',
      severity: values[REPORT_SEVERITY_BLOCK]?.[REPORT_SEVERITY_INPUT]?.selected_option?.value,
      customer:
        values[REPORT_CUSTOMER_BLOCK]?.[REPORT_CUSTOMER_INPUT]?.selected_option?.value ?? customers[0],
      note: values[REPORT_NOTE_BLOCK]?.[REPORT_NOTE_INPUT]?.value ?? undefined,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0]);
      log.info('report refused: bad field', { field });
      await ack({
        response_action: 'errors',
        errors: { [FIELD_BLOCKS[field] ?? REPORT_TITLE_BLOCK]: `${field}: ${issue.message}` },
      });
      return;
    }
    // A customer's own workspace reports for that customer only.
    if (!customers.includes(parsed.data.customer)) {
      await ack({
        response_action: 'errors',
        errors: { [REPORT_CUSTOMER_BLOCK]: 'customer: not configured' },
      });
      return;
    }
    if (!(await mayReport(reporter, { ...deps, members }))) {
      await ack({ response_action: 'errors', errors: { [REPORT_TITLE_BLOCK]: reportNotAllowed().text } });
      return;
    }
    const outcome = await submitReport({ draftKey: view.private_metadata, reporter, ...parsed.data }, deps);
    log.info('report submitted', { outcome });
    if (outcome === 'expired') {
      await ack({ response_action: 'errors', errors: { [REPORT_TITLE_BLOCK]: REPORT_EXPIRED } });
      return;
    }
    await ack();
  });
}
