#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through SWC's require hook, so `npx hivewire` works
// right after `npm ci` with no build step and never runs stale compiled code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('@swc-node/register');
require('../src/cli.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  });
