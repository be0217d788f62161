/**
 * The local queue's cost of durability on this machine: each job is written to the embedded store (dynalite
 * on disk) before `enqueue` resolves, recorded at each attempt and deleted when done. Measured: how long
 * `enqueue` of an ingest job takes (what `POST /ingest` adds per finding before its 202), jobs per second
 * through the whole round trip with a handler that does nothing, and how long a start takes to resume
 * a backlog of pending jobs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent } from '../src/findings/parse';
import { InProcessQueue } from '../src/queue/in-process';
import type { Job } from '../src/queue/jobs';
import { startEmbeddedStore } from '../src/store/embedded';
import { latency, type Latency } from './latency';

const ENQUEUES = 200;
const BACKLOG = 500;

function ingestJob(index: number): Job {
  const event = JSON.parse(
    readFileSync(join(__dirname, '../fixtures/aws/guardduty-impact-s3-maliciousipcaller.json'), 'utf8'),
  ) as { id: string };
  const [finding] = parseEvent({ ...event, id: `${event.id}-${index}` }).findings;
  return { kind: 'ingest', finding: finding!, receivedAt: new Date().toISOString() };
}

export interface LocalQueueFigures {
  enqueueMs: Latency;
  jobsPerSecond: number;
  resumeMs: { jobs: number; ms: number };
}

/** Runs the measurements on a fresh data directory, removed afterwards. */
export async function benchLocalQueue(): Promise<LocalQueueFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hivewire-bench-queue-'));
  try {
    const jobs = Array.from({ length: ENQUEUES }, (_, index) => ingestJob(index));
    let embedded = await startEmbeddedStore({ dataDir });
    const onDeadLetter = async () => undefined;

    // enqueue alone: the handler holds every job, so only the write before the answer is timed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let queue = new InProcessQueue({
      store: embedded.store,
      handler: () => held,
      onDeadLetter,
      concurrency: 1,
    });
    const timings: number[] = [];
    for (const job of jobs) {
      const started = performance.now();
      await queue.enqueue(job);
      timings.push(performance.now() - started);
    }
    release();
    await queue.drain();

    // The round trip: kept, attempt recorded, run, deleted.
    queue = new InProcessQueue({ store: embedded.store, handler: async () => undefined, onDeadLetter });
    const started = performance.now();
    await Promise.all(jobs.map((job) => queue.enqueue(job)));
    await queue.drain();
    const jobsPerSecond = Math.round(jobs.length / ((performance.now() - started) / 1000));

    // A backlog left by a process that stopped, resumed by the next start.
    queue = new InProcessQueue({ store: embedded.store, handler: async () => undefined, onDeadLetter });
    for (let index = 0; index < BACKLOG; index += 1)
      await queue.enqueueAt(jobs[index % jobs.length]!, new Date(Date.now() + 3_600_000));
    queue.close();
    await embedded.close();
    embedded = await startEmbeddedStore({ dataDir });
    queue = new InProcessQueue({ store: embedded.store, handler: async () => undefined, onDeadLetter });
    const resumeStarted = performance.now();
    const resumed = await queue.resume();
    const resumeMs = performance.now() - resumeStarted;
    queue.close();
    await embedded.close();

    return {
      enqueueMs: latency(timings),
      jobsPerSecond,
      resumeMs: { jobs: resumed, ms: Math.round(resumeMs) },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
