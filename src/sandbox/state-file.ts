/**
 * Keeps a stand-in's state in a JSON file so the sandbox survives a restart. Saves are coalesced (a burst
 * of changes is one write) and atomic (write to a temporary file, then rename), so a crash mid-write
 * leaves the previous state, never half a file. The file records the sandbox's address (`PUBLIC_URL`,
 * or `http://localhost:<PORT>`): links the stand-ins hold (permalinks and case links in messages, the
 * Slack alert's link in a case description) are moved to the current address when the sandbox comes
 * back on another one. The API routes flush before they answer, so what a stand-in acknowledged survives
 * a kill, as it does on the real service.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long a burst of changes may run before it is written. */
const SAVE_DELAY_MS = 50;

/** What the file holds: the state and the address its links point to. */
interface Saved<T> {
  base?: string;
  state: T;
}

function isSaved<T>(value: Saved<T> | T): value is Saved<T> {
  return typeof value === 'object' && value !== null && 'state' in value && Object.keys(value).length <= 2;
}

/** The saved JSON text with every link under `from` moved under `to` (a whole base only: `:3000` is not `:30001`). */
function rebase(text: string, from: string, to: string): string {
  const escaped = JSON.stringify(from)
    .slice(1, -1)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const replacement = JSON.stringify(to).slice(1, -1);
  return text.replace(new RegExp(`${escaped}(?=[/"#?\\\\]|$)`, 'g'), () => replacement);
}

export class StateFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => T) | undefined;

  /** `base`: where the sandbox is reached now; links saved under another base are moved to it. */
  constructor(
    readonly path: string,
    private readonly base?: string,
  ) {}

  /** The saved state, or undefined when there is none yet (or it cannot be read: the sandbox starts empty). */
  load(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
      const saved = JSON.parse(text) as Saved<T> | T;
      if (!isSaved(saved)) return saved;
      if (!this.base || !saved.base || saved.base === this.base) return saved.state;
      return (JSON.parse(rebase(text, saved.base, this.base)) as Saved<T>).state;
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
    const saved: Saved<T> = { base: this.base, state: snapshot() };
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, this.path);
  }
}
