/**
 * A workspace that uninstalls Hivewire (`app_uninstalled`), or revokes its bot token
 * (`tokens_revoked`), has its installation deleted from the store at once: no token is kept that the
 * workspace has taken back. Audited, without the token.
 */
import type { App, Context } from '@slack/bolt';
import { InstallationVault } from '../installations';
import { INSTALLATIONS_AUDIT_KEY } from '../oauth';
import type { SlackAppDeps } from '../../wiring/deps';

/** Registers the two events; nothing to do when the app is not set up for OAuth. */
export function registerInstallations(app: App, deps: SlackAppDeps): void {
  const oauth = deps.config.slack.oauth;
  if (!oauth) return;
  const vault = new InstallationVault(deps.store, oauth.installationKey);
  const forget = async (context: Context, reason: string) => {
    const query = {
      teamId: context.isEnterpriseInstall ? undefined : context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: Boolean(context.isEnterpriseInstall),
    };
    await vault.deleteInstallation(query as never);
    await deps.store.appendAudit({
      fingerprint: INSTALLATIONS_AUDIT_KEY,
      actor: { kind: 'system' },
      action: 'slack-uninstalled',
      details: { reason, team: context.teamId, enterprise: context.enterpriseId },
    });
    deps.logger.info('slack installation deleted', { reason, team: context.teamId });
  };
  app.event('app_uninstalled', async ({ context }) => forget(context, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot's tokens matter: Hivewire keeps no user token it uses.
    if ((event.tokens.bot ?? []).length > 0) await forget(context, 'tokens_revoked');
  });
}
