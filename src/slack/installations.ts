/**
 * Where the Slack OAuth installations live: one item per workspace (or per Enterprise Grid org for an
 * org-wide install) in the store, its whole content — bot token included — encrypted with AES-256-GCM:
 * locally under a key from the environment, in AWS under a data key from KMS (envelope encryption: the
 * KMS-wrapped data key is kept beside the ciphertext). The item's name is the GCM additional data, so a
 * ciphertext copied under another workspace's name does not decrypt. Implements @slack/oauth's
 * `InstallationStore`, so the InstallProvider and Bolt's `authorize` read and write it as the library
 * intends. Tokens are never logged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import { KmsDataKeys } from '../../clients/kms/data-keys';
import type { Config, InstallationKey } from '../config/config';
import { workspaceChannels } from '../enrich/tenancy';
import type { Store } from '../store/store';
import * as z from '../validation/zod';

/** The store setting of an installation: per workspace, or per org for an org-wide install. */
export function installationKey(query: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}) {
  if (query.isEnterpriseInstall && query.enterpriseId)
    return `slackInstallation#enterprise#${query.enterpriseId}`;
  if (query.teamId) return `slackInstallation#team#${query.teamId}`;
  throw new Error('an installation names a workspace or, for an org-wide install, an organisation');
}

/** What an installation encrypted under our own key is kept as. */
const sealedSchema = z.strictObject({
  v: z.literal(1),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
type Sealed = z.infer<typeof sealedSchema>;

/** What an installation encrypted under a KMS data key is kept as: `key` is the wrapped data key. */
const envelopeSchema = z.strictObject({
  v: z.literal(2),
  key: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

const IV_BYTES = 12;

/** Encrypts `plain` under `key`, bound to `name`. */
export function seal(key: Buffer, name: string, plain: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return {
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Decrypts what `seal` made for `name`; throws when the key, the name or the bytes differ. */
export function unseal(key: Buffer, name: string, sealed: unknown): string {
  const parts = sealedSchema.parse(sealed);
  return openSealed(key, name, parts);
}

function openSealed(key: Buffer, name: string, parts: Omit<Sealed, 'v'>): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts.iv, 'base64'));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(Buffer.from(parts.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(parts.data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

/** An installation was asked for that the store does not hold (Bolt then answers the request with an error). */
export class InstallationNotFoundError extends Error {
  constructor(key: string) {
    super(`no Slack installation for ${key.replace(/^slackInstallation#/, '')}`);
    this.name = 'InstallationNotFoundError';
  }
}

/** Encrypts and decrypts installations under one InstallationKey. */
interface Sealer {
  seal(name: string, plain: string): Promise<unknown>;
  unseal(name: string, sealed: unknown): Promise<string>;
}

/** The encryption context of every KMS call for installations (the IAM policy requires it). */
export const INSTALLATION_KMS_CONTEXT = { purpose: 'hivewire-slack-installation' };

/** The data keys of each KMS key, kept for the container's life: a few KMS calls per container. */
const dataKeysByKmsKey = new Map<string, KmsDataKeys>();

function sealerOf(installationKey: InstallationKey): Sealer {
  if (installationKey.kind === 'local') {
    const { key } = installationKey;
    return {
      seal: async (name, plain) => seal(key, name, plain),
      unseal: async (name, sealed) => unseal(key, name, sealed),
    };
  }
  let keys = dataKeysByKmsKey.get(installationKey.keyId);
  if (!keys) {
    keys = new KmsDataKeys(installationKey.keyId, INSTALLATION_KMS_CONTEXT);
    dataKeysByKmsKey.set(installationKey.keyId, keys);
  }
  const dataKeys = keys;
  return {
    async seal(name, plain) {
      const { plain: key, wrapped } = await dataKeys.dataKey();
      const { v: _v, ...parts } = seal(key, name, plain);
      return { v: 2, key: wrapped.toString('base64'), ...parts };
    },
    async unseal(name, sealed) {
      const { v: _v, key: wrapped, ...parts } = envelopeSchema.parse(sealed);
      return openSealed(await dataKeys.unwrap(Buffer.from(wrapped, 'base64')), name, parts);
    },
  };
}

export class InstallationVault implements InstallationStore {
  private readonly sealer: Sealer;

  constructor(
    private readonly store: Pick<Store, 'getSetting' | 'putSetting'>,
    key: InstallationKey,
  ) {
    this.sealer = sealerOf(key);
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const name = installationKey({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    });
    await this.store.putSetting(name, await this.sealer.seal(name, JSON.stringify(installation)));
  }

  /**
   * The installation for a request or job: the workspace's own, else its org's org-wide install (Slack
   * sends a workspace's team id with requests from an org-wide install too).
   */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const names = [
      ...(query.isEnterpriseInstall ? [] : query.teamId ? [installationKey({ teamId: query.teamId })] : []),
      ...(query.enterpriseId
        ? [installationKey({ enterpriseId: query.enterpriseId, isEnterpriseInstall: true })]
        : []),
    ];
    for (const name of names) {
      const sealed = await this.store.getSetting<unknown>(name);
      if (sealed !== undefined) return JSON.parse(await this.sealer.unseal(name, sealed)) as Installation;
    }
    throw new InstallationNotFoundError(names[0] ?? 'an unnamed workspace');
  }

  /** Forgets an installation (uninstalled, or its tokens revoked). */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.putSetting(installationKey(query), undefined);
  }

  /** The bot token of a workspace's installation, or undefined when it has none. */
  async botTokenOf(team: string): Promise<string | undefined> {
    try {
      const installation = await this.fetchInstallation({
        teamId: team,
        isEnterpriseInstall: false,
        enterpriseId: undefined,
      });
      return installation.bot?.token;
    } catch (error) {
      if (error instanceof InstallationNotFoundError) return undefined;
      throw error;
    }
  }
}

/** How long a workspace's bot token is reused before the store is read again (an uninstall deletes it). */
export const TOKEN_CACHE_MS = 60_000;

/**
 * The bot token of a workspace's installation: the workspace a caller names (`team`: a DM, or any channel
 * of a workspace that installed the app, such as a reported message's), else the one a customer's alert
 * channel is in (config `customers.<c>.slack`; Slack channel ids are unique across workspaces). Undefined
 * when the workspace has no installation: the single `SLACK_BOT_TOKEN` serves it.
 */
export function workspaceTokens(
  channels: Map<string, string>,
  vault: InstallationVault,
  now: () => Date = () => new Date(),
): (channel: string, team?: string) => Promise<string | undefined> {
  const cache = new Map<string, { token: Promise<string | undefined>; readAtMs: number }>();
  return async (channel, named) => {
    const team = named ?? channels.get(channel);
    if (!team) return undefined;
    const nowMs = now().getTime();
    const cached = cache.get(team);
    if (cached && nowMs - cached.readAtMs < TOKEN_CACHE_MS) return cached.token;
    const token = vault.botTokenOf(team);
    cache.set(team, { token, readAtMs: nowMs });
    token.catch(() => cache.delete(team));
    return token;
  };
}

/** The `tokenFor` of the worker's SlackDelivery: undefined when the app is not set up for OAuth. */
export function tokensOfCustomerWorkspaces(
  config: Config,
  store: Pick<Store, 'getSetting' | 'putSetting'>,
): ((channel: string, team?: string) => Promise<string | undefined>) | undefined {
  const oauth = config.slack.oauth;
  if (!oauth) return undefined;
  return workspaceTokens(workspaceChannels(config), new InstallationVault(store, oauth.installationKey));
}
