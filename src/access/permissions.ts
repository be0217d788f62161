/**
 * Who may do what: a user is allowed when listed by id or a member of a listed Slack user group; a
 * Webex person when listed in `webex.admins` by id or e-mail address.
 * Group members come from Slack (`usergroups.users.list`) and are cached, since one group answers
 * for many clicks and the lookup sits in Slack's 3-second request path.
 */

/** How long a group's member list is trusted. */
export const GROUP_MEMBERS_TTL_MS = 5 * 60 * 1000;

/** An allow-list: user ids and user group ids. */
export interface AllowList {
  users: readonly string[];
  groups: readonly string[];
}

/** Fetches a user group's members (Slack user ids). */
export type ListGroupMembers = (groupId: string) => Promise<string[]>;

export class GroupMembers {
  private readonly cache = new Map<string, { members: Set<string>; expires: number }>();

  constructor(
    private readonly list: ListGroupMembers,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = GROUP_MEMBERS_TTL_MS,
  ) {}

  /**
   * Whether `userId` is in the group. A group Slack will not list (missing scope, deleted group) has
   * no members: a permission is never granted on an error.
   */
  async includes(groupId: string, userId: string): Promise<boolean> {
    const cached = this.cache.get(groupId);
    if (cached && cached.expires > this.now()) return cached.members.has(userId);
    let members: Set<string>;
    try {
      members = new Set(await this.list(groupId));
    } catch {
      // Not cached: the next click asks Slack again.
      return false;
    }
    this.cache.set(groupId, { members, expires: this.now() + this.ttlMs });
    return members.has(userId);
  }
}

/** Whether the user is on the allow-list, directly or through one of its groups. */
export async function isAllowed(userId: string, allow: AllowList, members: GroupMembers): Promise<boolean> {
  if (allow.users.includes(userId)) return true;
  for (const group of allow.groups) if (await members.includes(group, userId)) return true;
  return false;
}

/** Whether a Webex person is a Hivewire admin: listed in `webex.admins` by id or (lower-case) e-mail. */
export function isWebexAdmin(person: { id: string; email?: string }, admins: readonly string[]): boolean {
  return (
    admins.includes(person.id) || (person.email !== undefined && admins.includes(person.email.toLowerCase()))
  );
}
