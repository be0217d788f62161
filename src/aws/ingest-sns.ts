/**
 * Which SNS deliveries `POST /ingest` accepts in AWS. A valid SNS signature proves only that SNS sent
 * the message — anyone can create a topic and subscribe the endpoint to it — so only the topics named
 * in `INGEST_SNS_TOPIC_ARNS` are accepted, and none when it is empty.
 */
import { SnsVerifier, type SnsVerification } from '../http/sns';

type IngestSns = Pick<SnsVerifier, 'verify' | 'confirmSubscription'>;

/** The topic ARNs in a comma-separated list. */
export function topicArnsFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter(Boolean);
}

/** Refuses every SNS delivery, subscription confirmations included. */
const NO_TOPIC: IngestSns = {
  async verify(): Promise<SnsVerification> {
    return { ok: false, reason: 'topic-not-allowed' };
  },
  async confirmSubscription() {
    throw new Error('no SNS topic is allowed');
  },
};

/** The verifier for the configured topics (certificates cached for the container's life). */
export function ingestSns(env: NodeJS.ProcessEnv): IngestSns {
  const topicArns = topicArnsFrom(env.INGEST_SNS_TOPIC_ARNS);
  return topicArns.length > 0 ? new SnsVerifier({ topicArns }) : NO_TOPIC;
}
