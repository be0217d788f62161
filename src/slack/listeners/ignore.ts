/**
 * The alert's Ignore button opens a modal asking why (`views.open` needs the click's trigger_id, which
 * expires after 3 seconds: it happens here, in the fast path); submitting it ignores the alert.
 */
import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { IGNORE, IGNORE_MODAL } from '../../../blocks/actions';
import { alertMessage } from '../../../blocks/alert';
import {
  IGNORE_NOTE_BLOCK,
  IGNORE_NOTE_INPUT,
  IGNORE_REASON_BLOCK,
  IGNORE_REASON_INPUT,
} from '../../../blocks/analyst/actions';
import { cannotIgnoreModalError, cannotIgnoreNotice, ignoreModal } from '../../../blocks/analyst/ignore';
import { notice } from '../../../blocks/replies';
import { checkIgnorable, ignoreAlert } from '../../alerts/ignore';
import { isIgnoreReason } from '../../domain/ignore';
import type { SlackAppDeps } from '../../wiring/deps';
import { answerPrivately } from './private-answer';
import { clickerName } from './clicker';

/** Registers the Ignore button and the ignore modal's submission. */
export function registerIgnore(app: App, deps: SlackAppDeps): void {
  app.action<BlockButtonAction>(IGNORE, async ({ ack, body, action, client }) => {
    await ack();
    const fingerprint = action.value ?? '';
    const log = deps.logger.createChild({
      persistentKeys: { fingerprint, action: IGNORE, userId: body.user.id },
    });
    const check = await checkIgnorable(fingerprint, deps);
    if (check.outcome !== 'ignorable') {
      log.info('ignore refused', { outcome: check.outcome });
      await answerPrivately(client, body, cannotIgnoreNotice(check), log);
      return;
    }
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: ignoreModal(check.alert) });
    } catch (error) {
      // Usually an expired trigger (a slow request path): the click can simply be tried again.
      log.warn('ignore modal not opened', { error: String(error) });
      await answerPrivately(
        client,
        body,
        notice("Couldn't open the Ignore form in time: please click Ignore again."),
        log,
      );
    }
  });

  app.view<ViewSubmitAction>(IGNORE_MODAL, async ({ ack, body, view, client }) => {
    const fingerprint = view.private_metadata;
    const userId = body.user.id;
    const log = deps.logger.createChild({ persistentKeys: { fingerprint, action: IGNORE_MODAL, userId } });
    const reason = view.state.values[IGNORE_REASON_BLOCK]?.[IGNORE_REASON_INPUT]?.selected_option?.value;
    const note = view.state.values[IGNORE_NOTE_BLOCK]?.[IGNORE_NOTE_INPUT]?.value ?? undefined;
    if (!isIgnoreReason(reason)) {
      await ack({ response_action: 'errors', errors: { [IGNORE_REASON_BLOCK]: 'Choose a reason.' } });
      return;
    }
    const result = await ignoreAlert(
      { fingerprint, userId, userName: clickerName(body), reason, note },
      deps,
    );
    log.info('ignore submitted', { outcome: result.outcome, reason });
    if (result.outcome !== 'ignored') {
      // The alert changed while the modal was open (escalated, ignored by someone else): say so in the modal.
      await ack({
        response_action: 'errors',
        errors: { [IGNORE_REASON_BLOCK]: cannotIgnoreModalError(result.outcome) },
      });
      return;
    }
    await ack();
    const { alert } = result;
    if (!alert.ts) return;
    // Shows the decision at once; the worker threads the reply and re-renders it again.
    await client.chat
      .update({
        channel: alert.channel,
        ts: alert.ts,
        ...alertMessage(alert, { theHiveUrl: deps.config.theHive.url }),
      } as never)
      .catch((error: unknown) => log.warn('alert not re-rendered after ignore', { error: String(error) }));
  });
}
