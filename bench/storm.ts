/**
 * A storm: a Security Hub standard enabled across five accounts, 10,000 control findings at once (ten
 * controls), through the ingest function's path (`ingestFindingsBatch` on dynalite in memory, Slack
 * stand-in over HTTP) with storms on as they are by default. It counts the Slack posts and updates and
 * says when the channel is quiet: the last Slack call, or the last post once Slack's pace of one post
 * per second per channel is applied to the posts as they were sent, whichever is later. The digests'
 * refreshes run as the worker would run them, when due. Floor: one post per finding, at Slack's pace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refreshDigest } from '../src/alerts/storm';
import type { DelayingQueue, Job } from '../src/queue/jobs';
import { startIngestPath } from './ingest';

/** Slack's pace for posts to one channel. */
const SLACK_POST_INTERVAL_MS = 1_000;
const CONTROLS = [
  'S3.8',
  'S3.1',
  'EC2.7',
  'EC2.2',
  'IAM.1',
  'IAM.6',
  'CloudTrail.1',
  'KMS.4',
  'RDS.3',
  'Lambda.1',
];
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];

interface SecurityHubEvent {
  detail: {
    findings: {
      Id: string;
      Title: string;
      AwsAccountId: string;
      Severity: Record<string, unknown>;
      Resources: { Id: string }[];
      ProductFields: Record<string, string>;
    }[];
  };
}

const TEMPLATE = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'aws', 'securityhub-imported-afsbp-ec2-7.json'), 'utf8'),
) as SecurityHubEvent;

/** Finding `n` of the storm: a failed control (HIGH) in one of the accounts. */
function stormBody(n: number): string {
  const control = CONTROLS[n % CONTROLS.length]!;
  const account = ACCOUNTS[Math.floor(n / CONTROLS.length) % ACCOUNTS.length]!;
  const [finding] = TEMPLATE.detail.findings;
  const id = `arn:aws:securityhub:us-east-1:${account}:subscription/aws-foundational-security-best-practices/v/1.0.0/${control}/finding/storm-${n}`;
  return JSON.stringify({
    ...TEMPLATE,
    account,
    detail: {
      findings: [
        {
          ...finding,
          Id: id,
          Title: `${control} ${finding!.Title.replace(/^\S+ /, '')}`,
          AwsAccountId: account,
          Severity: { Label: 'HIGH', Normalized: 70, Original: 'HIGH' },
          Resources: [{ ...finding!.Resources[0], Id: `AWS::::Account:${account}` }],
          ProductFields: { ...finding!.ProductFields, 'aws/securityhub/FindingId': id },
        },
      ],
    },
  });
}

export interface StormFigures {
  findings: number;
  groups: number;
  slackPosts: number;
  slackUpdates: number;
  /** From the first finding in to the last Slack call. */
  ingestSeconds: number;
  /** When the channel is quiet with Slack's pace applied to the posts. */
  quietSeconds: number;
  /** One post per finding at Slack's pace. */
  floorQuietSeconds: number;
}

/** Runs one storm of `findings` findings. */
export async function benchStorm(findings: number): Promise<StormFigures> {
  const refreshes: Promise<void>[] = [];
  const queue: DelayingQueue = {
    enqueue: async () => undefined,
    enqueueAt: async (job: Job, notBefore: Date) => {
      if (job.kind !== 'refresh-digest') return;
      refreshes.push(
        new Promise<void>((resolve, reject) =>
          setTimeout(
            () => refreshDigest(job, path.deps).then(resolve, reject),
            Math.max(0, notBefore.getTime() - Date.now()),
          ),
        ),
      );
    },
  };
  const path = await startIngestPath({ queue, storms: true });
  try {
    const bodies = Array.from({ length: findings }, (_, n) => stormBody(n));
    const started = performance.now();
    await path.ingest(bodies);
    // A refresh queues none after it, unless a finding came in after it cleared the mark.
    while (refreshes.length) await Promise.all(refreshes.splice(0));
    const calls = path.slack.calls.filter((call) => call.at >= started);
    const posts = calls.filter((call) => call.method === 'chat.postMessage');
    let paced = 0;
    for (const post of posts) paced = Math.max(post.at - started, paced + SLACK_POST_INTERVAL_MS);
    const lastCall = Math.max(0, ...calls.map((call) => call.at - started));
    return {
      findings,
      groups: Math.min(findings, CONTROLS.length * ACCOUNTS.length),
      slackPosts: posts.length,
      slackUpdates: calls.filter((call) => call.method === 'chat.update').length,
      ingestSeconds: lastCall / 1000,
      quietSeconds: Math.max(lastCall, paced) / 1000,
      floorQuietSeconds: (findings * SLACK_POST_INTERVAL_MS) / 1000,
    };
  } finally {
    await path.close();
  }
}
