/** Before any test file: a directory for this run's `osls package` output (test/helpers/packaged-stack.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR_VARIABLE } from './packaged-stack';

export default function globalSetup(): void {
  // Workers inherit this process's environment, so every test file sees the same directory.
  process.env[PACKAGE_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'hivewire-package-'));
}
