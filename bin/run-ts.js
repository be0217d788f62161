#!/usr/bin/env node
// Runs one TypeScript file (benchmarks, scripts) through SWC's require hook.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('@swc-node/register');
const path = require('node:path');
require(path.resolve(process.argv[2]));
