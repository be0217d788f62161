/**
 * Amazon SNS message authentication for HTTPS subscriptions (`POST /ingest`). SNS signs each message
 * with an RSA key whose certificate it names in `SigningCertURL`; the string to sign is a fixed,
 * per-type list of `name\nvalue\n` pairs (AWS SNS developer guide, "Verifying the signatures of Amazon
 * SNS messages"). The certificate URL is attacker-supplied, so it is checked to be an SNS host over
 * HTTPS before anything is fetched, and the certificate is then trusted because TLS proved the host.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import * as z from '../validation/zod';
import { errorMessage } from '../observability/logger';

/** Hosts SNS serves certificates and subscription confirmations from (commercial and China partitions). */
export const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Signing certificates are about 1–2 KB of PEM and confirmations a small XML document: cap what is read. */
export const SNS_RESPONSE_MAX_BYTES = 64 * 1024;
const HTTP_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_CACHED_CERTIFICATES = 20;

const common = {
  MessageId: z.string().check(z.minLength(1), z.maxLength(256)),
  TopicArn: z
    .string()
    .check(z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w.-]{1,256}$/, 'must be an SNS topic ARN')),
  Message: z.string(),
  Timestamp: z.string().check(z.minLength(1)),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')),
  SigningCertURL: z.string().check(z.minLength(1)),
};
const confirmation = {
  SubscribeURL: z.string().check(z.minLength(1)),
  Token: z.string().check(z.minLength(1)),
};

/** An SNS HTTP(S) delivery body (unknown keys such as `MessageAttributes` are allowed and ignored). */
export const snsMessageSchema = z.discriminatedUnion('Type', [
  z.object({
    ...common,
    Type: z.literal('Notification'),
    Subject: z.nullish(z.string()),
    UnsubscribeURL: z.optional(z.string()),
  }),
  z.object({ ...common, ...confirmation, Type: z.literal('SubscriptionConfirmation') }),
  z.object({ ...common, ...confirmation, Type: z.literal('UnsubscribeConfirmation') }),
]);
export type SnsMessage = z.infer<typeof snsMessageSchema>;

/**
 * The canonical string SNS signs: the type's fields in byte order, each as `name\nvalue\n`.
 * Notification: Message, MessageId, Subject (only when present), Timestamp, TopicArn, Type.
 * Subscription/unsubscribe confirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
 */
export function snsStringToSign(message: SnsMessage): string {
  const fields: [string, string][] =
    message.Type === 'Notification'
      ? [
          ['Message', message.Message],
          ['MessageId', message.MessageId],
          ...(message.Subject == null ? [] : [['Subject', message.Subject] as [string, string]]),
          ['Timestamp', message.Timestamp],
          ['TopicArn', message.TopicArn],
          ['Type', message.Type],
        ]
      : [
          ['Message', message.Message],
          ['MessageId', message.MessageId],
          ['SubscribeURL', message.SubscribeURL],
          ['Timestamp', message.Timestamp],
          ['Token', message.Token],
          ['TopicArn', message.TopicArn],
          ['Type', message.Type],
        ];
  return fields.map(([name, value]) => `${name}\n${value}\n`).join('');
}

function snsUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const trusted =
    url.protocol === 'https:' &&
    SNS_HOST.test(url.hostname) &&
    url.port === '' &&
    !url.username &&
    !url.password;
  return trusted ? url : undefined;
}

/** True for `https://sns.<region>.amazonaws.com[.cn]/….pem` (no port, no credentials). */
export function isSnsCertificateUrl(text: string): boolean {
  const url = snsUrl(text);
  return url !== undefined && url.pathname.endsWith('.pem');
}

/** True for an SNS `ConfirmSubscription` link on an SNS host. */
export function isSnsSubscribeUrl(text: string): boolean {
  const url = snsUrl(text);
  return url !== undefined && url.searchParams.get('Action') === 'ConfirmSubscription';
}

/** A certificate could not be had; `retryable` when SNS should deliver again later (network, 5xx). */
export class SnsCertificateError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SnsCertificateError';
  }
}

/** A subscription could not be confirmed. */
export class SnsConfirmationError extends Error {
  constructor(
    message: string,
    readonly code: 'not-verified' | 'not-a-subscription' | 'untrusted-url' | 'request-failed',
  ) {
    super(message);
    this.name = 'SnsConfirmationError';
  }
}

export type SnsFailure =
  | 'malformed-message'
  | 'topic-not-allowed'
  | 'untrusted-certificate-url'
  | 'certificate-unavailable'
  | 'invalid-certificate'
  | 'bad-signature';

export type SnsVerification = { ok: true; message: SnsMessage } | { ok: false; reason: SnsFailure };

export interface SnsVerifierOptions {
  /** Fetches a certificate's PEM text; only ever called with URLs `isSnsCertificateUrl` accepts. */
  fetchCertificate?: (url: string) => Promise<string>;
  /** Topics accepted; empty or absent accepts any topic with a valid signature. */
  topicArns?: readonly string[];
  /** Used for the default certificate fetch and for subscription confirmations. */
  http?: AxiosInstance;
  now?: () => Date;
  maxCachedCertificates?: number;
}

/**
 * Verifies SNS deliveries and confirms subscriptions. Certificates are cached per URL for the life
 * of the process (a Lambda container, the local server).
 *
 * @example
 *   const sns = new SnsVerifier({ topicArns: ['arn:aws:sns:eu-west-1:111122223333:findings'] });
 *   const verdict = await sns.verify(JSON.parse(rawBody));
 *   if (verdict.ok && verdict.message.Type === 'SubscriptionConfirmation') await sns.confirmSubscription(verdict.message);
 */
export class SnsVerifier {
  private readonly certificates = new Map<string, Promise<X509Certificate>>();
  private readonly verified = new WeakSet<SnsMessage>();
  private readonly http: AxiosInstance;
  private readonly fetchCertificate: (url: string) => Promise<string>;
  private readonly topics: ReadonlySet<string>;
  private readonly now: () => Date;
  private readonly maxCached: number;

  constructor(options: SnsVerifierOptions = {}) {
    this.http = options.http ?? axios.create({ timeout: HTTP_TIMEOUT_MS, maxRedirects: 0 });
    this.fetchCertificate = options.fetchCertificate ?? ((url) => this.download(url));
    this.topics = new Set(options.topicArns ?? []);
    this.now = options.now ?? (() => new Date());
    this.maxCached = Math.max(1, options.maxCachedCertificates ?? DEFAULT_MAX_CACHED_CERTIFICATES);
  }

  /** Checks a parsed SNS body; the message is returned only when its signature is SNS's. */
  async verify(body: unknown): Promise<SnsVerification> {
    const parsed = snsMessageSchema.safeParse(body);
    if (!parsed.success) return { ok: false, reason: 'malformed-message' };
    const message = parsed.data;
    if (this.topics.size > 0 && !this.topics.has(message.TopicArn))
      return { ok: false, reason: 'topic-not-allowed' };
    if (!isSnsCertificateUrl(message.SigningCertURL))
      return { ok: false, reason: 'untrusted-certificate-url' };

    let certificate: X509Certificate;
    try {
      certificate = await this.certificate(message.SigningCertURL);
    } catch (error) {
      const retryable = !(error instanceof SnsCertificateError) || error.retryable;
      return { ok: false, reason: retryable ? 'certificate-unavailable' : 'invalid-certificate' };
    }
    const now = this.now().getTime();
    if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo))
      return { ok: false, reason: 'invalid-certificate' };

    const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
    let valid: boolean;
    try {
      valid = createVerify(algorithm)
        .update(snsStringToSign(message), 'utf8')
        .verify(certificate.publicKey, message.Signature, 'base64');
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, reason: 'bad-signature' };
    this.verified.add(message);
    return { ok: true, message };
  }

  /**
   * Confirms a subscription by GETting its `SubscribeURL`: only for a message this verifier has
   * verified, and only when the URL is an SNS `ConfirmSubscription` link.
   */
  async confirmSubscription(message: SnsMessage): Promise<void> {
    if (!this.verified.has(message))
      throw new SnsConfirmationError('the message was not verified by this verifier', 'not-verified');
    if (message.Type !== 'SubscriptionConfirmation')
      throw new SnsConfirmationError(
        `a ${message.Type} is not a subscription to confirm`,
        'not-a-subscription',
      );
    if (!isSnsSubscribeUrl(message.SubscribeURL))
      throw new SnsConfirmationError('SubscribeURL is not an SNS ConfirmSubscription link', 'untrusted-url');
    let status: number;
    try {
      const response = await this.http.get(message.SubscribeURL, {
        responseType: 'text',
        maxContentLength: SNS_RESPONSE_MAX_BYTES,
        validateStatus: () => true,
      });
      status = response.status;
    } catch (error) {
      throw new SnsConfirmationError(`ConfirmSubscription failed: ${errorMessage(error)}`, 'request-failed');
    }
    if (status < 200 || status >= 300)
      throw new SnsConfirmationError(`ConfirmSubscription answered HTTP ${status}`, 'request-failed');
  }

  private certificate(url: string): Promise<X509Certificate> {
    const cached = this.certificates.get(url);
    if (cached) return cached;
    const loading = this.fetchCertificate(url).then((pem) => {
      try {
        return new X509Certificate(pem);
      } catch (error) {
        throw new SnsCertificateError(`not a certificate: ${errorMessage(error)}`, false);
      }
    });
    // A failure is not cached: the next delivery tries again.
    loading.catch(() => this.certificates.delete(url));
    if (this.certificates.size >= this.maxCached) {
      const oldest = this.certificates.keys().next().value;
      if (oldest !== undefined) this.certificates.delete(oldest);
    }
    this.certificates.set(url, loading);
    return loading;
  }

  private async download(url: string): Promise<string> {
    let response;
    try {
      response = await this.http.get<string>(url, {
        responseType: 'text',
        transformResponse: [(data: string) => data],
        maxContentLength: SNS_RESPONSE_MAX_BYTES,
        validateStatus: () => true,
      });
    } catch (error) {
      throw new SnsCertificateError(`certificate fetch failed: ${errorMessage(error)}`, true);
    }
    if (response.status !== 200)
      throw new SnsCertificateError(
        `certificate fetch answered HTTP ${response.status}`,
        response.status >= 500,
      );
    return response.data;
  }
}
