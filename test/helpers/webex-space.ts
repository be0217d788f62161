/**
 * The in-process product's Webex stand-in, for tests that click cards and read threads there: the
 * space, and a wait until its deliveries and the jobs they queue have run to the end.
 */
import type { WebexSpace } from '../../src/sandbox/webex-space';
import type { InProcessSandbox } from './sandbox-server';

export function webexSpaceOf(product: InProcessSandbox): WebexSpace {
  const webex = product.sandbox.webex;
  if (!webex) throw new Error('no Webex stand-in');
  return webex;
}

/** Lets the stand-in's deliveries and the jobs they queue run to the end (replies deliver again). */
export async function settleWebex(product: InProcessSandbox): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await webexSpaceOf(product).idle();
    await product.runtime.queue.drain();
  }
}
