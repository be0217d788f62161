/**
 * One cache of Slack user-group members per Bolt app, shared by every listener that checks an
 * allow-list (the threshold command, response actions), asked through the app's request-path client.
 */
import type { App } from '@slack/bolt';
import { GroupMembers } from '../../access/permissions';

const perApp = new WeakMap<App, GroupMembers>();

/** The app's group-member cache (`usergroups.users.list`, scope `usergroups:read`). */
export function groupMembersOf(app: App): GroupMembers {
  let members = perApp.get(app);
  if (!members) {
    members = new GroupMembers(async (usergroup) => {
      const response = await app.client.usergroups.users.list({ usergroup });
      return response.users ?? [];
    });
    perApp.set(app, members);
  }
  return members;
}
