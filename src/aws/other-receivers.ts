/**
 * What the Lambda bundles load in place of the packages only Bolt's other receivers use: `express` and
 * `raw-body` (ExpressReceiver, HTTPReceiver) and `@slack/socket-mode` (SocketModeReceiver). Bolt's index
 * and `App` require all of its receivers at load time, which put undici, iconv-lite and mime-db — about
 * 1.3 MB and most of the slack function's cold load — into a function that only ever runs Hivewire's
 * own receiver (src/slack/receiver.ts). serverless.yml's `custom.esbuild.alias` maps each package here; the local server,
 * which does use Socket Mode, keeps the real ones. Using any of them in Lambda fails loudly.
 */

/** The error each substitute throws when called: one of Bolt's own HTTP or Socket Mode receivers was built. */
export class ReceiverNotBundledError extends Error {
  constructor(what: string) {
    super(`${what} is not in Hivewire's Lambda bundles: they run Hivewire's own Bolt receiver only`);
    this.name = 'ReceiverNotBundledError';
  }
}

/** `express()` and `raw-body`'s default export. */
export default function notBundled(): never {
  throw new ReceiverNotBundledError('express / raw-body');
}

/** `express.Router()`. */
export function Router(): never {
  throw new ReceiverNotBundledError('express');
}

/** `@slack/socket-mode`'s client. */
export class SocketModeClient {
  constructor() {
    throw new ReceiverNotBundledError('@slack/socket-mode');
  }
}
