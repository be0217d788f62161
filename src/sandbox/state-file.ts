/**
 * Keeps a stand-in's state in a JSON file so the sandbox survives a restart. Saves are coalesced (a burst
 * of changes is one write) and atomic (write to a temporary file, then rename), so a crash mid-write
 * leaves the previous state, never half a file. The API routes flush before they answer, so what a
 * stand-in acknowledged survives a kill, as it does on the real service.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long a burst of changes may run before it is written. */
const SAVE_DELAY_MS = 50;

export class StateFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => T) | undefined;

  constructor(readonly path: string) {}

  /** The saved state, or undefined when there is none yet (or it cannot be read: the sandbox starts empty). */
  load(): T | undefined {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Schedules a save of what `snapshot` returns when the write happens. */
  scheduleSave(snapshot: () => T): void {
    this.pending = snapshot;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Writes a scheduled save now (at shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = this.pending;
    this.pending = undefined;
    if (!snapshot) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(snapshot()));
    renameSync(temporary, this.path);
  }
}
