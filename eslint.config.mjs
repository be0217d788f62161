import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The modules that build everything from the environment: the only readers of process.env. */
export const COMPOSITION_ROOTS = ['src/local/runtime.ts', 'src/aws/runtime.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.serverless',
      '.hivewire',
      '.test-results',
      'coverage',
      'clients/thehive/schema.d.ts',
      '.esbuild',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // What the Lambda bundles carry is decided here: classic zod cannot be tree-shaken (~450 KB a
    // bundle) and YAML is read only from disk, locally (the functions read their config as JSON).
    files: ['src/**/*.ts', 'clients/**/*.ts', 'blocks/**/*.ts', 'cards/**/*.ts'],
    ignores: ['src/validation/zod.ts', 'src/config/config-file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message: "Import zod as `import * as z from '<path>/src/validation/zod'` (zod/mini).",
            },
            { name: 'zod/mini', message: "Import zod as `import * as z from '<path>/src/validation/zod'`." },
            { name: 'yaml', message: 'Only src/config/config-file.ts reads YAML.' },
          ],
          patterns: [
            { group: ['zod/*'], message: "Import zod as `import * as z from '<path>/src/validation/zod'`." },
          ],
        },
      ],
      // `z.core` as a value keeps all of zod's core in a bundle (every locale, JSON Schema: ~370 KB);
      // in a type (`z.core.$ZodType`) it costs nothing and is a TSQualifiedName, not matched here.
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='z'][property.name='core']",
          message:
            'Use what src/validation/zod.ts exports by name (z.$ZodError): z.core as a value keeps all of zod.',
        },
      ],
    },
  },
  {
    // Only the composition roots read the process's environment (src/local/runtime.ts locally,
    // src/aws/runtime.ts in AWS): every other module is handed the configuration, the clients or the
    // env object it needs, so what a module depends on shows in its signature. bin/hivewire.js hands
    // the CLI its environment; the AWS root hands the handlers' wrapper (src/aws/metrics.ts) its own.
    files: ['src/**/*.ts', 'clients/**/*.ts', 'blocks/**/*.ts', 'cards/**/*.ts'],
    ignores: COMPOSITION_ROOTS,
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Only the composition roots read process.env: take the value (or an env object) as a parameter.',
        },
      ],
    },
  },
);
