import { perContainer } from '../../src/aws/per-container';

describe('perContainer', () => {
  it('builds once and hands every caller the same value, concurrent callers included', async () => {
    let builds = 0;
    const deps = perContainer(async () => ({ build: ++builds }));
    const [first, second] = await Promise.all([deps(), deps()]);
    const third = await deps();
    expect(builds).toBe(1);
    expect(first).toBe(second);
    expect(third).toBe(first);
  });

  it('forgets a failed build so the next invocation tries again', async () => {
    let builds = 0;
    const deps = perContainer(async () => {
      builds += 1;
      if (builds === 1) throw new Error('ThrottlingException');
      return 'ready';
    });
    await expect(deps()).rejects.toThrow('ThrottlingException');
    expect(await deps()).toBe('ready');
    expect(await deps()).toBe('ready');
    expect(builds).toBe(2);
  });
});
