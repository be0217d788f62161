import fc from 'fast-check';

// Tests run offline and must not print the AWS SDK's Node-version notice into every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
// Logs are asserted where they matter (a test builds its own logger); elsewhere they are noise.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Likewise the EMF lines every handler writes at the end of an invocation; test/aws/metrics.test.ts
// turns them back on to read them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Property tests run the same cases on every run, so the suite passes or fails the same way each time;
// HIVEWIRE_PROPERTY_SEED picks other cases to explore with (a failure prints the seed that found it).
fc.configureGlobal({ seed: Number(process.env.HIVEWIRE_PROPERTY_SEED ?? 20261204) });
