/**
 * "Was this you?": the alert's Ask the user button (queues the question), and the person's answer in
 * the DM (recorded once; the DM is replaced by "Thanks, recorded" so it cannot be answered again).
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { ASK_USER, TRIAGE_NO, TRIAGE_UNSURE, TRIAGE_YES } from '../../../blocks/actions';
import { triageAnsweredDm, triageAnswerNotice, triageRequestNotice } from '../../../blocks/analyst/triage';
import { answerTriage, requestTriage } from '../../triage/triage';
import type { TriageResponse } from '../../domain/triage';
import type { SlackAppDeps } from '../../wiring/deps';
import { answerPrivately } from './private-answer';
import { teamOf } from './tenancy';

const RESPONSES: Record<string, TriageResponse> = {
  [TRIAGE_YES]: 'yes',
  [TRIAGE_NO]: 'no',
  [TRIAGE_UNSURE]: 'notsure',
};

/** Registers the Ask the user button and the three answers. */
export function registerTriage(app: App, deps: SlackAppDeps): void {
  app.action<BlockButtonAction>(ASK_USER, async ({ ack, body, action, client }) => {
    await ack();
    const fingerprint = action.value ?? '';
    const userId = body.user.id;
    const log = deps.logger.createChild({ persistentKeys: { fingerprint, action: ASK_USER, userId } });
    const result = await requestTriage({ fingerprint, requestedBy: userId, platform: 'slack' }, deps);
    log.info('ask the user clicked', { outcome: result.outcome });
    await answerPrivately(client, body, triageRequestNotice(result), log);
  });

  for (const actionId of [TRIAGE_YES, TRIAGE_NO, TRIAGE_UNSURE]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const userId = body.user.id;
      const response = RESPONSES[actionId] as TriageResponse;
      const log = deps.logger.createChild({ persistentKeys: { action: actionId, userId } });
      const result = await answerTriage(
        { triageId: action.value ?? '', response, userId, platform: 'slack', team: teamOf(body) },
        deps,
      );
      log.info('triage answered', { outcome: result.outcome });
      if (result.outcome !== 'recorded') {
        await answerPrivately(client, body, triageAnswerNotice(result.outcome), log);
        return;
      }
      const channel = body.container?.channel_id ?? body.channel?.id ?? result.record.channel;
      const ts = body.container?.message_ts ?? result.record.ts;
      if (!channel || !ts) return;
      const dm = triageAnsweredDm(result.record, response);
      await client.chat
        .update({ channel, ts, text: dm.text, blocks: dm.blocks as never })
        .catch((error: unknown) => log.warn('DM not updated after the answer', { error: String(error) }));
    });
  }
}
