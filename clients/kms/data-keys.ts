/**
 * Envelope encryption's data keys from AWS KMS: `GenerateDataKey` gives an AES-256 key in plain and
 * wrapped under the KMS key; what is encrypted with the plain key keeps the wrapped one beside it, and
 * `Decrypt` unwraps it again. Both are cached per container (one generated key serves many writes, each
 * wrapped key is unwrapped once), so the KMS key is asked a few times per container, not once per
 * installation read. Every call carries the same encryption context, which the IAM policy can require.
 */
import type { KMSClient } from '@aws-sdk/client-kms';

/**
 * The SDK client, loaded at the first KMS call: the slack function reads installations on its first
 * request, so loading it at `require()` would spend Lambda's init (and Slack's 3 s) on a client not yet used.
 */
const kmsModule = () => import('./sdk');

/** How long a generated data key encrypts new items before another is asked for. */
export const DATA_KEY_MAX_AGE_MS = 60 * 60 * 1000;
/** How many unwrapped keys a container keeps (each write of another container wrapped its own). */
const UNWRAPPED_KEYS_KEPT = 64;

/** A data key: `plain` for AES, `wrapped` (KMS ciphertext) to keep beside what it encrypts. */
export interface DataKey {
  plain: Buffer;
  wrapped: Buffer;
}

/** What of the SDK client is used: `send` (a test passes a client pointed at moto). */
export type KmsSender = Pick<KMSClient, 'send'>;

export class KmsDataKeys {
  private current?: { key: Promise<DataKey>; madeAtMs: number };
  private readonly unwrapped = new Map<string, Promise<Buffer>>();

  /**
   * @param keyId the KMS key's id, ARN or alias
   * @param context the encryption context of every call (not secret; logged by CloudTrail)
   */
  constructor(
    private readonly keyId: string,
    private readonly context: Record<string, string>,
    private kms?: KmsSender,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The client the calls are sent with: the SDK's default one, made at the first call, unless given. */
  private async client(): Promise<KmsSender> {
    this.kms ??= new (await kmsModule()).KMSClient({});
    return this.kms;
  }

  /** The data key new items are encrypted with; a new one once the current one is an hour old. */
  dataKey(): Promise<DataKey> {
    const now = this.nowMs();
    if (!this.current || now - this.current.madeAtMs >= DATA_KEY_MAX_AGE_MS) {
      const key = this.generate();
      this.current = { key, madeAtMs: now };
      // A failed call is not kept: the next write asks again.
      key.catch(() => {
        if (this.current?.key === key) this.current = undefined;
      });
    }
    return this.current.key;
  }

  /** The plain key of a wrapped one (KMS refuses a key wrapped under another key or context). */
  unwrap(wrapped: Buffer): Promise<Buffer> {
    const name = wrapped.toString('base64');
    const known = this.unwrapped.get(name);
    if (known) return known;
    const plain = this.decrypt(wrapped);
    if (this.unwrapped.size >= UNWRAPPED_KEYS_KEPT)
      this.unwrapped.delete(this.unwrapped.keys().next().value!);
    this.unwrapped.set(name, plain);
    plain.catch(() => this.unwrapped.delete(name));
    return plain;
  }

  private async generate(): Promise<DataKey> {
    const { GenerateDataKeyCommand } = await kmsModule();
    const kms = await this.client();
    const answer = await kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: this.context,
      }),
    );
    if (!answer.Plaintext || !answer.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
    const key = { plain: Buffer.from(answer.Plaintext), wrapped: Buffer.from(answer.CiphertextBlob) };
    // The wrapped key of this container's own writes need not be unwrapped to be read back.
    this.unwrapped.set(key.wrapped.toString('base64'), Promise.resolve(key.plain));
    return key;
  }

  private async decrypt(wrapped: Buffer): Promise<Buffer> {
    const { DecryptCommand } = await kmsModule();
    const kms = await this.client();
    const answer = await kms.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: wrapped, EncryptionContext: this.context }),
    );
    if (!answer.Plaintext) throw new Error('KMS Decrypt returned no key');
    return Buffer.from(answer.Plaintext);
  }
}
