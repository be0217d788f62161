/**
 * TheHive users are logins (usually e-mail addresses); Slack users are ids. Maps one to the other with
 * `users.lookupByEmail`, cached because assignee changes repeat the same few people.
 */
import type { WebClient } from '@slack/web-api';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class SlackUserDirectory {
  private readonly cache = new Map<string, { userId?: string; expires: number }>();

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
}
