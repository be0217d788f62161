/**
 * The KMS part of the AWS SDK, as one module that data-keys.ts imports when it first calls KMS. Being a
 * module of ours, esbuild folds that `import()` into the bundle as a deferred `require`, so the Lambda
 * loads the SDK client at the first KMS call and not at `require()` of the function.
 */
export { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
