/**
 * Nothing accepted is lost when `hivewire serve` is killed (SIGKILL: no drain, no shutdown code) and
 * started again on the same data directory. N distinct GuardDuty findings are sent and answered 202; the
 * server is killed right after the 202s, again while it is posting them with a "Create Case" click just
 * acknowledged, again as soon as TheHive has the case, and started a fourth time. Then every accepted
 * finding is in the Slack channel exactly once (read through the sandbox's Slack Web API), the clicked
 * alert has exactly one case in the TheHive stand-in (read through its API) announced once in its
 * thread, and no job is left pending or dead-lettered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { eventually } from '../helpers/eventually';
import { ServerRuns, temporaryDataDir, type SandboxServer } from '../helpers/sandbox-server';

// Four starts of the product (each loads its TypeScript) and paced posts: minutes on a loaded machine.
jest.setTimeout(300_000);

const FINDINGS = 6;
const USER = 'U0ALICE';
/** Bounds each wait below: posts are paced at one a second, and each start loads the TypeScript. */
const WAIT_MS = 60_000;
/** Any bot token shape the sandbox Slack accepts: it checks the form, not the value. */
const SLACK_TOKEN = 'xoxb-sandbox';

const runs = new ServerRuns();

afterAll(() => runs.release());

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) => eventually(what, probe, WAIT_MS);

async function kill(server: SandboxServer): Promise<void> {
  expect(await runs.stop(server, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
}

/** N GuardDuty findings that differ only in their id (so each is its own alert). */
function distinctFindings(): unknown[] {
  const template = JSON.parse(
    readFileSync(join(__dirname, '../../fixtures/aws/guardduty-impact-s3-maliciousipcaller.json'), 'utf8'),
  ) as { id: string; arn: string };
  return Array.from({ length: FINDINGS }, (_, index) => {
    const id = `${template.id.slice(0, -2)}${String(index).padStart(2, '0')}`;
    return { ...template, id, arn: template.arn.replace(template.id, id) };
  });
}

async function ingest(
  server: SandboxServer,
  finding: unknown,
): Promise<{ status: number; fingerprints: string[] }> {
  const response = await fetch(`${server.url}/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify(finding),
  });
  const body = (await response.json()) as { fingerprints?: string[] };
  return { status: response.status, fingerprints: body.fingerprints ?? [] };
}

interface AlertMessage {
  ts: string;
  fingerprint: string;
  blockId?: string;
}

/** The alert channel's root messages that are Hivewire alerts, through the sandbox's Slack Web API. */
async function alertMessages(server: SandboxServer): Promise<AlertMessage[]> {
  const response = await fetch(`${server.url}/sandbox/slack/api/conversations.history`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SLACK_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      channel: SANDBOX_DEFAULTS.alertChannel,
      include_all_metadata: 'true',
      limit: '1000',
    }),
  });
  const body = (await response.json()) as {
    ok: boolean;
    messages: {
      ts: string;
      metadata?: { event_type: string; event_payload: { fingerprint: string } };
      blocks?: { block_id: string; elements?: { action_id?: string }[] }[];
    }[];
  };
  expect(body.ok).toBe(true);
  return body.messages
    .filter((message) => message.metadata?.event_type === 'hivewire_alert')
    .map((message) => ({
      ts: message.ts,
      fingerprint: message.metadata!.event_payload.fingerprint,
      blockId: message.blocks?.find((block) =>
        block.elements?.some((element) => element.action_id === 'hivewire.create_case'),
      )?.block_id,
    }));
}

/** Replies in an alert's thread, through the sandbox's Slack Web API. */
async function threadReplies(server: SandboxServer, ts: string): Promise<string[]> {
  const response = await fetch(`${server.url}/sandbox/slack/api/conversations.replies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SLACK_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ channel: SANDBOX_DEFAULTS.alertChannel, ts }),
  });
  const body = (await response.json()) as { messages: { ts: string; text?: string }[] };
  return body.messages.filter((message) => message.ts !== ts).map((message) => message.text ?? '');
}

/** Every case in the TheHive stand-in, through its API (`listCase`). */
async function theHiveCases(server: SandboxServer): Promise<{ _id: string; sourceRef?: string }[]> {
  const response = await fetch(`${server.url}/sandbox/thehive/api/v1/query`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SANDBOX_DEFAULTS.theHiveApiKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query: [{ _name: 'listCase' }] }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { _id: string }[];
}

/** Clicks "Create Case" as the console does: a signed interaction into /slack/events; resolves on its answer. */
async function clickCreateCase(server: SandboxServer, alert: AlertMessage): Promise<void> {
  const response = await fetch(`${server.url}/sandbox/console/click`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: SANDBOX_DEFAULTS.alertChannel,
      ts: alert.ts,
      actionId: 'hivewire.create_case',
      blockId: alert.blockId,
      userId: USER,
    }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ result: 'ok', status: 200 });
}

describe('hivewire serve killed mid-work', () => {
  it('posts every accepted finding exactly once and opens the clicked case exactly once', async () => {
    const dataDir = temporaryDataDir();

    // 1. N findings accepted (202), then killed at once: most are not even posted yet.
    const first = await runs.start(dataDir);
    const answers = await Promise.all(distinctFindings().map((finding) => ingest(first, finding)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(FINDINGS).fill(202));
    const accepted = answers.flatMap((answer) => answer.fingerprints);
    expect(new Set(accepted).size).toBe(FINDINGS);
    await kill(first);

    // 2. Restarted: killed again while posting, right after a "Create Case" click was acknowledged.
    const second = await runs.start(dataDir);
    const posted = await waitFor('two alerts posted', async () => {
      const messages = await alertMessages(second);
      return messages.length >= 2 ? messages : undefined;
    });
    const clicked = posted[posted.length - 1]!;
    await clickCreateCase(second, clicked);
    await kill(second);

    // 3. Restarted: killed again mid-escalation, as soon as TheHive has the case (its thread reply,
    // the alert's record and the remaining posts may still be owed).
    const third = await runs.start(dataDir);
    await waitFor('the case in TheHive', async () =>
      (await theHiveCases(third)).length > 0 ? true : undefined,
    );
    await kill(third);

    // 4. Restarted: everything owed finishes.
    const fourth = await runs.start(dataDir);
    const messages = await waitFor('every accepted finding posted', async () => {
      const current = await alertMessages(fourth);
      return new Set(current.map((message) => message.fingerprint)).size === FINDINGS ? current : undefined;
    });
    const store = await runs.storeOf(fourth);
    const escalated = await waitFor('the escalation to complete', async () => {
      const alert = await store.store.getAlert(clicked.fingerprint);
      return alert?.state === 'escalated' && alert.caseReplyTs ? alert : undefined;
    });
    await waitFor('no job left pending', async () =>
      (await store.store.listPendingJobs()).length === 0 ? true : undefined,
    );

    // Exactly once each, in Slack as the Web API shows it, and the store names those messages.
    expect(messages.map((message) => message.fingerprint).sort()).toEqual([...accepted].sort());
    expect(await alertMessages(fourth)).toHaveLength(FINDINGS);
    for (const message of messages)
      expect((await store.store.getAlert(message.fingerprint))?.ts).toBe(message.ts);

    // One case, the clicked alert's, announced once in its thread.
    const cases = await theHiveCases(fourth);
    expect(cases.map((theCase) => theCase._id)).toEqual([escalated.caseId]);
    const replies = await threadReplies(fourth, clicked.ts);
    expect(replies.filter((text) => /opened in TheHive/.test(text))).toHaveLength(1);
    expect(await store.store.listDeadLetters(10)).toEqual([]);

    expect(await runs.stop(fourth, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
