/**
 * SNS messages signed with the test-only key in test/fixtures/sns, as SNS would deliver them.
 */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snsStringToSign, type SnsMessage } from '../../src/http/sns';

const FIXTURES = join(__dirname, '..', 'fixtures', 'sns');
export const TEST_SIGNING_KEY = readFileSync(join(FIXTURES, 'signing-key.test.pem'), 'utf8');
export const TEST_CERTIFICATE = readFileSync(join(FIXTURES, 'signing-cert.test.pem'), 'utf8');

export const CERT_HOST = 'https://sns.us-east-1.amazonaws.com';
export const CERT_PATH = '/SimpleNotificationService-test.pem';
export const CERT_URL = `${CERT_HOST}${CERT_PATH}`;
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:hivewire-findings';
export const SUBSCRIBE_PATH =
  '/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:111122223333:hivewire-findings&Token=2336412f37fb687f5d51e6e241d09c805a5a57b30d712f7';
/** Inside the test certificate's validity (2026–2126). */
export const TEST_NOW = new Date('2030-01-01T00:00:00.000Z');

/** Signs a message with the test key, SHA1withRSA for version 1 and SHA256withRSA for version 2. */
export function sign<T extends SnsMessage>(unsigned: Omit<T, 'Signature'>): T {
  const message = { ...unsigned, Signature: 'AA==' } as T;
  const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
  message.Signature = createSign(algorithm)
    .update(snsStringToSign(message), 'utf8')
    .sign(TEST_SIGNING_KEY, 'base64');
  return message;
}

/** A signed Notification carrying `message` (an object is JSON-encoded, as EventBridge → SNS does). */
export function notification(
  message: unknown,
  overrides: Partial<Extract<SnsMessage, { Type: 'Notification' }>> = {},
): Extract<SnsMessage, { Type: 'Notification' }> {
  return sign<Extract<SnsMessage, { Type: 'Notification' }>>({
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: TOPIC_ARN,
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-11-25T10:00:00.000Z',
    SignatureVersion: '2',
    SigningCertURL: CERT_URL,
    UnsubscribeURL: `${CERT_HOST}/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:c9135db0-26c4-47ec-8998-413945fb5a96`,
    ...overrides,
  });
}

/** A signed SubscriptionConfirmation for the test topic. */
export function subscriptionConfirmation(
  overrides: Partial<Extract<SnsMessage, { Type: 'SubscriptionConfirmation' }>> = {},
): Extract<SnsMessage, { Type: 'SubscriptionConfirmation' }> {
  return sign<Extract<SnsMessage, { Type: 'SubscriptionConfirmation' }>>({
    Type: 'SubscriptionConfirmation',
    MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token: '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f7',
    TopicArn: TOPIC_ARN,
    Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `${CERT_HOST}${SUBSCRIBE_PATH}`,
    Timestamp: '2026-11-25T10:00:00.000Z',
    SignatureVersion: '1',
    SigningCertURL: CERT_URL,
    ...overrides,
  });
}
