/**
 * zod as Hivewire uses it: the tree-shakable `zod/mini` API, with English issue messages. Classic
 * `zod` cannot be tree-shaken (every schema carries every method), so it cost each Lambda bundle
 * about 450 KB and 20 ms of cold load; `zod/mini` costs what is used. `zod/mini` ships no messages
 * unless a locale is configured; English keeps the rejections readable ("expected string, received
 * number") and identical to classic zod's.
 *
 * Import it as a namespace: `import * as z from '../zod'`.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
/**
 * The error every failed `parse` throws, for `instanceof`. Reaching it as `z.core.$ZodError` would
 * keep all of `core` in a bundle (every locale, JSON Schema, the compiler: about 370 KB).
 */
export { $ZodError } from 'zod/v4/core';
