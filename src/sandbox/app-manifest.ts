/**
 * The Slack app as the sandbox installs it: the message shortcuts `manifest.yml` declares, which the
 * console offers on every message as Slack offers them in a message's "More actions" menu.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from '../zod';

export interface MessageShortcut {
  name: string;
  callbackId: string;
}

const manifestSchema = z.looseObject({
  features: z.optional(
    z.looseObject({
      shortcuts: z._default(
        z.array(
          z.looseObject({
            name: z.string().check(z.minLength(1)),
            type: z.enum(['message', 'global']),
            callback_id: z.string().check(z.minLength(1)),
          }),
        ),
        [],
      ),
    }),
  ),
});

/** The repository's manifest, next to `src/`. */
export const MANIFEST_PATH = join(__dirname, '..', '..', 'manifest.yml');

/** The message shortcuts of a manifest file. */
export function messageShortcuts(path = MANIFEST_PATH): MessageShortcut[] {
  const manifest = manifestSchema.parse(parse(readFileSync(path, 'utf8')));
  return (manifest.features?.shortcuts ?? [])
    .filter((shortcut) => shortcut.type === 'message')
    .map((shortcut) => ({ name: shortcut.name, callbackId: shortcut.callback_id }));
}
