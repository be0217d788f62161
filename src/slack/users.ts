/**
 * TheHive users are logins (usually e-mail addresses); Slack users are ids. Maps one to the other with
 * `users.lookupByEmail`, and an id to the name Slack shows with `users.info`, cached because assignee
 * changes and a thread's conversation repeat the same few people.
 */
import type { WebClient } from '@slack/web-api';
import { toDeliveryError } from './delivery';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class SlackUserDirectory {
  private readonly cache = new Map<string, { userId?: string; expires: number }>();
  private readonly names = new Map<string, { name?: string; expires: number }>();

  /**
   * @param tokenFor the bot token of the workspace a channel is in, when it is not the client's own (a
   *   customer's workspace, installed through OAuth: its people are known only there)
   */
  constructor(
    private readonly client: WebClient,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
    private readonly tokenFor?: (channel: string) => Promise<string | undefined>,
  ) {}

  /** The `token` argument for asking about `channel`'s workspace, and the cache's name for that workspace. */
  private async workspace(channel: string | undefined): Promise<{ args: { token?: string }; key: string }> {
    const token = channel === undefined ? undefined : await this.tokenFor?.(channel);
    return token ? { args: { token }, key: token } : { args: {}, key: '' };
  }

  /**
   * The Slack user id for an e-mail address in the workspace of `channel` (the client's own when it names
   * none of a customer's), or undefined when there is none (`users_not_found`, remembered for the TTL).
   * Any other failure (Slack down, rate limited, a missing scope) is thrown as a SlackDeliveryError and
   * not remembered: it says nothing about the person, so the next look-up asks Slack again.
   */
  async userIdForEmail(email: string | undefined, channel?: string): Promise<string | undefined> {
    if (!email || !EMAIL.test(email)) return undefined;
    const workspace = await this.workspace(channel);
    const key = `${workspace.key}\n${email.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return cached.userId;
    let userId: string | undefined;
    try {
      const response = await this.client.users.lookupByEmail({ ...workspace.args, email });
      userId = response.user?.id;
    } catch (error) {
      const failure = toDeliveryError('users.lookupByEmail', error);
      if (failure.code !== 'users_not_found') throw failure;
      userId = undefined;
    }
    this.cache.set(key, { userId, expires: this.now() + this.ttlMs });
    return userId;
  }

  /**
   * The Slack user to mention for an e-mail address in a thread, as `userIdForEmail` finds them, or
   * undefined when there is none or Slack cannot say right now: the message then shows the TheHive
   * login, and the next one asks Slack again.
   */
  async mentionFor(email: string | undefined, channel?: string): Promise<string | undefined> {
    try {
      return await this.userIdForEmail(email, channel);
    } catch {
      return undefined;
    }
  }

  /**
   * The name Slack shows for a user id of `channel`'s workspace (`users.info`: display name, else real
   * name, else the handle), or undefined when Slack cannot say. Cached like the e-mail look-ups, "no
   * such user" included; a Slack failure is not remembered, so the next message asks again.
   */
  async displayName(userId: string, channel?: string): Promise<string | undefined> {
    const workspace = await this.workspace(channel);
    const key = `${workspace.key}\n${userId}`;
    const cached = this.names.get(key);
    if (cached && cached.expires > this.now()) return cached.name;
    let name: string | undefined;
    try {
      const { user } = await this.client.users.info({ ...workspace.args, user: userId });
      name = user?.profile?.display_name || user?.real_name || user?.name || undefined;
    } catch (error) {
      // The message then shows the id, as for a user Slack does not know.
      if (toDeliveryError('users.info', error).code !== 'user_not_found') return undefined;
      name = undefined;
    }
    this.names.set(key, { name, expires: this.now() + this.ttlMs });
    return name;
  }
}
