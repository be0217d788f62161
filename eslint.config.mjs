import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    ignores: ['src/zod.ts', 'src/config-file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Import zod as `import * as z from '<path>/src/zod'` (zod/mini)." },
            { name: 'zod/mini', message: "Import zod as `import * as z from '<path>/src/zod'`." },
            { name: 'yaml', message: 'Only src/config-file.ts reads YAML.' },
          ],
          patterns: [{ group: ['zod/*'], message: "Import zod as `import * as z from '<path>/src/zod'`." }],
        },
      ],
      // `z.core` as a value keeps all of zod's core in a bundle (every locale, JSON Schema: ~370 KB);
      // in a type (`z.core.$ZodType`) it costs nothing and is a TSQualifiedName, not matched here.
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='z'][property.name='core']",
          message: 'Use what src/zod.ts exports by name (z.$ZodError): z.core as a value keeps all of zod.',
        },
      ],
    },
  },
);
