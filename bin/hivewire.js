#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through SWC's require hook, so `npx hivewire` works
// right after `npm ci` with no build step and never runs stale compiled code. The process's environment
// is read here and handed down: no module of src/ but the composition roots reads process.env.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('@swc-node/register');
require('../src/cli/cli.ts')
  .main(process.argv.slice(2), process.env)
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  });
