/**
 * One platform losing an alert's message for good must not cost the others. The sandbox with no config
 * file routes its alerts to Slack, its Webex space and its Teams channel; a person deletes the Teams
 * card; Create Case then opens the one case, threads its link on Slack and Webex, records the Teams
 * loss in the audit trail (`not-delivered`) and keeps nothing as a dead letter. Before, the refused
 * card update failed the whole escalation job until it was dead-lettered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webexClientFor } from '../../src/chat/webex/adapter';
import { registerWebexWebhooks } from '../../src/chat/webex/webhooks';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import type { AlertRecord } from '../../src/domain/alert';
import { SANDBOX_TEAMS } from '../../src/sandbox/teams-tenant';
import { SANDBOX_WEBEX_PEOPLE } from '../../src/sandbox/webex-space';
import { eventually } from '../helpers/eventually';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';
import { settleWebex, webexSpaceOf } from '../helpers/webex-space';

const FINDING = readFileSync(
  join(__dirname, '../../fixtures/aws/guardduty-iamuser-toripcaller.json'),
  'utf8',
);
/** Generous: the CI runs this on 2 cores shared with the rest of the suite; alone it takes seconds. */
const FLOW_TIMEOUT_MS = 180_000;

let product: InProcessSandbox;

beforeAll(async () => {
  product = await startInProcessSandbox();
  await registerWebexWebhooks(webexClientFor(product.config), {
    targetUrl: `${product.server.url}/webex/events`,
    secret: SANDBOX_DEFAULTS.webexWebhookSecret,
  });
}, FLOW_TIMEOUT_MS);

afterAll(async () => {
  await product?.close();
});

const alertOf = async (fingerprint: string): Promise<AlertRecord> =>
  (await product.runtime.deps.store.getAlert(fingerprint))!;

test(
  'a deleted Teams card: Create Case still opens one case, threaded on Slack and Webex, the loss audited',
  async () => {
    const ingested = await fetch(`${product.server.url}/ingest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`,
      },
      body: FINDING,
    });
    expect(ingested.status).toBe(202);
    const [fingerprint] = ((await ingested.json()) as { fingerprints: string[] }).fingerprints;
    const posted = await eventually(
      'the alert posted on Slack, Webex and Teams',
      async () => {
        await settleWebex(product);
        const alert = await alertOf(fingerprint!);
        return alert.ts && alert.posts?.webex?.messageId && alert.posts?.teams?.messageId ? alert : undefined;
      },
      120_000,
    );
    expect(posted.posts!.teams!.channel).toBe(SANDBOX_TEAMS.channel.id);

    // Someone deletes the card in the Teams channel.
    expect(product.sandbox.teams.remove(SANDBOX_TEAMS.channel.id, posted.posts!.teams!.messageId!)).toBe(
      true,
    );

    webexSpaceOf(product).submitCard(SANDBOX_WEBEX_PEOPLE[0]!, {
      type: 'submit',
      messageId: posted.posts!.webex!.messageId!,
      inputs: { action: 'hivewire.create_case', fingerprint: fingerprint! },
    });
    const escalated = await eventually(
      'the case opened',
      async () => {
        await settleWebex(product);
        const alert = await alertOf(fingerprint!);
        return alert.state === 'escalated' && alert.caseReplyTs ? alert : undefined;
      },
      120_000,
    );

    expect(product.sandbox.theHive.listCases()).toHaveLength(1);
    const slackThread = product.sandbox.workspace
      .replies(escalated.channel, escalated.ts!)
      .messages.slice(1)
      .map((message) => message.text ?? '');
    expect(slackThread).toEqual([expect.stringMatching(/Case #\d+.* opened in TheHive by /)]);
    const webexThread = webexSpaceOf(product)
      .messages(SANDBOX_DEFAULTS.webexRoomId)
      .filter((message) => message.parentId === escalated.posts!.webex!.messageId);
    expect(webexThread.map((message) => message.markdown)).toEqual([
      expect.stringMatching(/Case #\d+.* opened in TheHive by /),
    ]);

    const trail = await product.runtime.deps.store.listAudit(fingerprint!);
    const lost = trail.filter((event) => event.action === 'not-delivered');
    expect(lost.length).toBeGreaterThan(0);
    for (const event of lost)
      expect(event.details).toMatchObject({ platform: 'teams', channel: SANDBOX_TEAMS.channel.id });
    expect(await product.runtime.deps.store.listDeadLetters(10)).toEqual([]);
  },
  FLOW_TIMEOUT_MS,
);
