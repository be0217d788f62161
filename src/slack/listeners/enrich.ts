/**
 * The alert's Enrich button: the alert's indicators (IOCs only) are looked up in threat intelligence
 * by the worker and the results threaded under the alert.
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { ENRICH } from '../../../blocks/actions';
import { lookupStarted } from '../../../blocks/analyst/lookup';
import { notice } from '../../../blocks/replies';
import { lookupTargetsOfAlert } from '../../lookups/targets';
import type { SlackAppDeps } from '../../wiring/deps';
import { answerPrivately } from './private-answer';

/** Registers the Enrich button. */
export function registerEnrich(app: App, deps: SlackAppDeps): void {
  app.action<BlockButtonAction>(ENRICH, async ({ ack, body, action, client }) => {
    await ack();
    const fingerprint = action.value ?? '';
    const userId = body.user.id;
    const log = deps.logger.createChild({ persistentKeys: { fingerprint, action: ENRICH, userId } });
    const alert = await deps.store.getAlert(fingerprint);
    if (!alert) {
      await answerPrivately(client, body, notice('Hivewire does not know this alert.'), log);
      return;
    }
    const targets = lookupTargetsOfAlert(alert);
    if (targets.length === 0) {
      await answerPrivately(
        client,
        body,
        notice('This alert has no indicators to look up (public IPs, domains, URLs or hashes).'),
        log,
      );
      return;
    }
    await deps.queue.enqueue({
      kind: 'lookup',
      targets,
      userId,
      reply: { to: 'thread', fingerprint },
      requestedAt: deps.now().toISOString(),
    });
    log.info('enrich queued', { count: targets.length });
    await answerPrivately(
      client,
      body,
      lookupStarted({ count: targets.length, skipped: [], where: 'thread' }),
      log,
    );
  });
}
