/**
 * TheHive users are logins (usually e-mail addresses); Slack users are ids. Maps one to the other with
 * `users.lookupByEmail`, and an id to the name Slack shows with `users.info`, cached because assignee
 * changes and a thread's conversation repeat the same few people.
 */
import type { WebClient } from '@slack/web-api';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class SlackUserDirectory {
  private readonly cache = new Map<string, { userId?: string; expires: number }>();
  private readonly names = new Map<string, { name?: string; expires: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Slack user id for an e-mail address, or undefined when there is none (or Slack cannot say). */
  async userIdForEmail(email: string | undefined): Promise<string | undefined> {
    if (!email || !EMAIL.test(email)) return undefined;
    const key = email.toLowerCase();
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return cached.userId;
    let userId: string | undefined;
    try {
      const response = await this.client.users.lookupByEmail({ email });
      userId = response.user?.id;
    } catch {
      // users_not_found, missing scope or Slack down: show the TheHive login instead of a mention.
      userId = undefined;
    }
    this.cache.set(key, { userId, expires: this.now() + this.ttlMs });
    return userId;
  }

  /**
   * The name Slack shows for a user id (`users.info`: display name, else real name, else the handle),
   * or undefined when Slack cannot say; cached like the e-mail look-ups.
   */
  async displayName(userId: string): Promise<string | undefined> {
    const cached = this.names.get(userId);
    if (cached && cached.expires > this.now()) return cached.name;
    let name: string | undefined;
    try {
      const { user } = await this.client.users.info({ user: userId });
      name = user?.profile?.display_name || user?.real_name || user?.name || undefined;
    } catch {
      name = undefined;
    }
    this.names.set(userId, { name, expires: this.now() + this.ttlMs });
    return name;
  }
}
