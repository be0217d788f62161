import { ingestSns } from '../../src/http/ingest-sns';
import { SnsVerifier, type SnsMessage } from '../../src/http/sns';
import { fixture } from '../handlers/lambda-events';

const DELIVERY = fixture<SnsMessage>('derived/sns-http-notification-guardduty-event.json');

describe('ingestSns', () => {
  it('refuses every SNS delivery when no topic is configured', async () => {
    const sns = ingestSns([]);
    expect(sns).not.toBeInstanceOf(SnsVerifier);
    expect(await sns.verify(DELIVERY)).toEqual({ ok: false, reason: 'topic-not-allowed' });
    await expect(sns.confirmSubscription(DELIVERY)).rejects.toThrow('no SNS topic is allowed');
  });

  it('verifies deliveries from the configured topics only', async () => {
    const sns = ingestSns(['arn:aws:sns:eu-west-1:111122223333:hivewire-findings']);
    expect(sns).toBeInstanceOf(SnsVerifier);
    expect(
      await sns.verify({ ...DELIVERY, TopicArn: 'arn:aws:sns:eu-west-1:444455556666:someone-else' }),
    ).toEqual({
      ok: false,
      reason: 'topic-not-allowed',
    });
  });
});
