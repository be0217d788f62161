import { GroupMembers, isAllowed } from '../../src/access/permissions';

describe('isAllowed', () => {
  it('allows a listed user without asking Slack', async () => {
    const list = jest.fn();
    await expect(
      isAllowed('U0ALICE', { users: ['U0ALICE'], groups: ['S0LEADS'] }, new GroupMembers(list)),
    ).resolves.toBe(true);
    expect(list).not.toHaveBeenCalled();
  });

  it('allows a member of a listed group and caches the members for five minutes', async () => {
    let now = 0;
    const list = jest.fn(async () => ['U0BOB']);
    const members = new GroupMembers(list, () => now);
    const allow = { users: [], groups: ['S0LEADS'] };
    await expect(isAllowed('U0BOB', allow, members)).resolves.toBe(true);
    await expect(isAllowed('U0EVE', allow, members)).resolves.toBe(false);
    expect(list).toHaveBeenCalledTimes(1);
    now = 5 * 60 * 1000 + 1;
    await isAllowed('U0BOB', allow, members);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('refuses when Slack cannot list the group, and asks again next time', async () => {
    const list = jest.fn(async (): Promise<string[]> => {
      throw new Error('missing_scope');
    });
    const members = new GroupMembers(list);
    await expect(isAllowed('U0BOB', { users: [], groups: ['S0LEADS'] }, members)).resolves.toBe(false);
    await expect(isAllowed('U0BOB', { users: [], groups: ['S0LEADS'] }, members)).resolves.toBe(false);
    expect(list).toHaveBeenCalledTimes(2);
  });
});
