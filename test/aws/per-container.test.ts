import { perContainer, rebuiltOnChange, renewed, sameJson } from '../../src/aws/per-container';

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

describe('renewed', () => {
  function source(values: string[]) {
    let reads = 0;
    let nowMs = 0;
    const kept: string[] = [];
    const value = renewed(
      async () => {
        const next = values[reads++];
        if (next === undefined) throw new Error('ThrottlingException');
        return { secret: next };
      },
      { maxAgeMs: 1_000, same: sameJson, now: () => nowMs, onKept: (error) => kept.push(String(error)) },
    );
    return { value, kept, reads: () => reads, advance: (ms: number) => (nowMs += ms) };
  }

  it('serves the value it read until maxAge has passed, then reads again', async () => {
    const renewal = source(['before-rotation', 'after-rotation']);
    expect(await renewal.value()).toEqual({ secret: 'before-rotation' });
    renewal.advance(999);
    expect(await renewal.value()).toEqual({ secret: 'before-rotation' });
    expect(renewal.reads()).toBe(1);
    renewal.advance(1);
    expect(await renewal.value()).toEqual({ secret: 'after-rotation' });
    expect(renewal.reads()).toBe(2);
  });

  it('keeps the same object when a renewal read the same data, so nothing built from it is rebuilt', async () => {
    const renewal = source(['unchanged', 'unchanged']);
    const first = await renewal.value();
    renewal.advance(1_000);
    expect(await renewal.value()).toBe(first);
    expect(renewal.reads()).toBe(2);
  });

  it('keeps the value in use when a renewal fails, says so, and tries again at the next call', async () => {
    const renewal = source(['before-rotation']);
    const first = await renewal.value();
    renewal.advance(1_000);
    expect(await renewal.value()).toBe(first);
    expect(await renewal.value()).toBe(first);
    expect(renewal.reads()).toBe(3);
    expect(renewal.kept).toEqual(['Error: ThrottlingException', 'Error: ThrottlingException']);
  });

  it('fails the first read when it fails: there is nothing to fall back on', async () => {
    await expect(source([]).value()).rejects.toThrow('ThrottlingException');
  });
});

describe('rebuiltOnChange', () => {
  it('builds once per input object and again when a different one comes', async () => {
    const builds: string[] = [];
    const clientFor = rebuiltOnChange(async (config: { token: string }) => {
      builds.push(config.token);
      return { client: config.token };
    });
    const before = { token: 'before' };
    const first = await clientFor(before);
    expect(await clientFor(before)).toBe(first);
    const after = { token: 'after' };
    expect(await clientFor(after)).toEqual({ client: 'after' });
    expect(builds).toEqual(['before', 'after']);
  });

  it('forgets a failed build', async () => {
    let builds = 0;
    const built = rebuiltOnChange(async (_config: object) => {
      builds += 1;
      if (builds === 1) throw new Error('ThrottlingException');
      return 'ready';
    });
    const config = {};
    await expect(built(config)).rejects.toThrow('ThrottlingException');
    expect(await built(config)).toBe('ready');
  });
});
