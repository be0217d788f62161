/** After every test file: removes this run's `osls package` output. */
import { rmSync } from 'node:fs';
import { PACKAGE_DIR_VARIABLE } from './packaged-stack';

export default function globalTeardown(): void {
  const dir = process.env[PACKAGE_DIR_VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
