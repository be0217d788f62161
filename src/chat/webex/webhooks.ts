/**
 * Registers the bot's two Webex webhooks (`messages` and `attachmentActions`, `created`) for the
 * configured target URL, signed with the webhook secret. Idempotent: a webhook Hivewire registered
 * before (found by its name) is updated in place, so running it again, at every start or from the
 * CLI, leaves exactly two webhooks pointing at the current URL with the current secret. Webex never
 * shows a secret back, so an existing webhook is always updated rather than compared.
 */
import type { WebexClient } from '../../../clients/webex/client';

/** (contract) The webhooks Hivewire owns, by name. */
export const WEBEX_WEBHOOKS = [
  { name: 'hivewire messages', resource: 'messages', event: 'created' },
  { name: 'hivewire card actions', resource: 'attachmentActions', event: 'created' },
] as const;

export interface WebhookRegistration {
  name: string;
  id: string;
  outcome: 'created' | 'updated';
}

/** Makes the bot's webhooks point at `targetUrl` with `secret`; says what it did for each. */
export async function registerWebexWebhooks(
  client: Pick<WebexClient, 'listWebhooks' | 'createWebhook' | 'updateWebhook'>,
  input: { targetUrl: string; secret: string },
): Promise<WebhookRegistration[]> {
  const existing = await client.listWebhooks();
  const done: WebhookRegistration[] = [];
  for (const wanted of WEBEX_WEBHOOKS) {
    const found = existing.find(
      (webhook) =>
        webhook.name === wanted.name &&
        webhook.resource === wanted.resource &&
        webhook.event === wanted.event,
    );
    if (found) {
      await client.updateWebhook(found.id, {
        name: wanted.name,
        targetUrl: input.targetUrl,
        secret: input.secret,
        status: 'active',
      });
      done.push({ name: wanted.name, id: found.id, outcome: 'updated' });
    } else {
      const created = await client.createWebhook({
        ...wanted,
        targetUrl: input.targetUrl,
        secret: input.secret,
      });
      done.push({ name: wanted.name, id: created.id, outcome: 'created' });
    }
  }
  return done;
}
