/**
 * Which SNS deliveries `POST /ingest` accepts, locally and in AWS. A valid SNS signature proves only
 * that SNS sent the message — anyone can create a topic and subscribe the endpoint to it — so only the
 * topics named in `INGEST_SNS_TOPIC_ARNS` are accepted, and none when it is empty.
 */
import { SnsVerifier, type SnsVerification } from './sns';

type IngestSns = Pick<SnsVerifier, 'verify' | 'confirmSubscription'>;

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
export function ingestSns(topicArns: readonly string[]): IngestSns {
  return topicArns.length > 0 ? new SnsVerifier({ topicArns }) : NO_TOPIC;
}
