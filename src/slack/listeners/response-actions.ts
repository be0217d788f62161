/**
 * Response-action buttons (`hivewire.response_action.<id>`, each behind a confirmation dialog): the
 * click is checked against the action's allow-list and queued; the worker runs it and threads the
 * result. Refused users are told why, privately.
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { RESPONSE_ACTION_PATTERN, responseActionOf } from '../../../blocks/analyst/actions';
import {
  responseActionRefused,
  responseActionStarted,
  responseActionUnavailable,
} from '../../../blocks/analyst/response-actions';
import { requestResponseAction } from '../../response-actions/response-actions';
import type { SlackAppDeps } from '../../wiring/deps';
import { answerPrivately } from './private-answer';
import { groupMembersOf } from './group-members';
import { clickerName } from './clicker';

/** Registers every response-action button. */
export function registerResponseActions(app: App, deps: SlackAppDeps): void {
  const members = groupMembersOf(app);
  app.action<BlockButtonAction>(RESPONSE_ACTION_PATTERN, async ({ ack, body, action, client }) => {
    await ack();
    const fingerprint = action.value ?? '';
    const userId = body.user.id;
    const actionId = responseActionOf(action.action_id) ?? '';
    const log = deps.logger.createChild({
      persistentKeys: { fingerprint, action: action.action_id, userId },
    });
    const result = await requestResponseAction(
      { fingerprint, actionId, userId, userName: clickerName(body) },
      { ...deps, members },
    );
    log.info('response action clicked', { outcome: result.outcome });
    switch (result.outcome) {
      case 'requested':
        await answerPrivately(client, body, responseActionStarted(result.action), log);
        return;
      case 'refused':
        await answerPrivately(client, body, responseActionRefused(result.action), log);
        return;
      default:
        await answerPrivately(client, body, responseActionUnavailable(result.outcome), log);
    }
  });
}
