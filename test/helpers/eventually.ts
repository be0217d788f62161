/**
 * Waiting for asynchronous work in tests (queues, webhooks, Slack pacing, another process) without timed
 * assertions: poll for a condition, with a bounded wait that names what never happened.
 */

const POLL_MS = 50;

/**
 * Polls `probe` until it returns a value other than undefined; fails after `waitMs`, naming `what`. The
 * default bounds in-process work, which a loaded 2-core machine stretches several times, inside jest's
 * 120 s per test; work in another process chooses its own bound.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  waitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}
