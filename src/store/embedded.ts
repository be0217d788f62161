/**
 * The local store: dynalite (DynamoDB's protocol on LevelDB) running inside the Hivewire process, its
 * data under `<dataDir>/dynamodb`, so local runs and tests use the same DynamoStore as AWS.
 *
 * LevelDB admits one process per directory, and a second dynalite on a held directory does not fail
 * cleanly: it throws from a LevelDB iterator later, outside any promise. So the holder takes
 * `<dataDir>/store.lock` (its pid) before opening the database and records where it listens in
 * `<dataDir>/endpoint.json` (`{ endpoint, pid, tableName }`); another process (`hivewire audit`) reads
 * that file and talks to the holder over HTTP instead of opening the directory a second time.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import * as z from '../validation/zod';
import { DynamoStore } from './dynamo';
import { StoreHeldError } from './errors';
import { ensureTable } from './table';

/** The table name used locally (DynamoDB names need at least 3 characters). */
export const LOCAL_TABLE_NAME = 'hivewire';

/** How long a probe of a recorded endpoint may take before the holder counts as gone. */
const PROBE_TIMEOUT_MS = 2_000;

/** A store and how to let go of it: stop the embedded server, or drop the connection to another's. */
export interface OpenedStore {
  store: DynamoStore;
  /** The DynamoDB endpoint, `http://127.0.0.1:<port>`. */
  endpoint: string;
  close(): Promise<void>;
}

export type EmbeddedStoreOptions =
  | {
      /** Where the data lives (`<dataDir>/dynamodb`), with the lock and endpoint files. */
      dataDir: string;
      inMemory?: false;
      /** Port on 127.0.0.1; an ephemeral one when absent. */
      port?: number;
      tableName?: string;
    }
  | { inMemory: true; port?: number; tableName?: string };

const endpointFileSchema = z.object({
  endpoint: z.url({ protocol: /^http$/ }),
  pid: z.int().check(z.positive()),
  tableName: z.string().check(z.minLength(3)),
});

/** What `<dataDir>/endpoint.json` holds. */
export type EndpointFile = z.infer<typeof endpointFileSchema>;

/** The directories this process holds: a pid check alone cannot tell "me, again" from "me, restarted". */
const heldHere = new Set<string>();

/** The path of the endpoint record in a data directory. */
export function endpointFilePath(dataDir: string): string {
  return join(dataDir, 'endpoint.json');
}

function lockFilePath(dataDir: string): string {
  return join(dataDir, 'store.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the directory's lock, or throws StoreHeldError when a live process has it. A lock left by a
 * process that died is taken over (two processes doing that at the same instant is a race this does
 * not close).
 */
function acquireLock(dataDir: string): () => void {
  const lockFile = lockFilePath(dataDir);
  const held = resolve(dataDir);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      heldHere.add(held);
      return () => {
        heldHere.delete(held);
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(lockFile);
    // Our own pid in a lock this process did not take: a previous process that had the same pid (pid 1 in a container).
    const live = holder !== undefined && isAlive(holder) && (holder !== process.pid || heldHere.has(held));
    if (live) throw new StoreHeldError(dataDir, holder, lockFile);
    rmSync(lockFile, { force: true });
  }
  throw new StoreHeldError(dataDir, readPid(lockFile) ?? 0, lockFile);
}

/** A DynamoDB client for a local endpoint: dynalite checks no credentials, but the SDK wants some. */
function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'hivewire-local', secretAccessKey: 'hivewire-local' },
  });
}

function writeEndpointFile(dataDir: string, record: EndpointFile): void {
  const file = endpointFilePath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record)}\n`);
  renameSync(temporary, file);
}

function readEndpointFile(dataDir: string): EndpointFile | undefined {
  try {
    const parsed = endpointFileSchema.safeParse(JSON.parse(readFileSync(endpointFilePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function removeEndpointFileIfOurs(dataDir: string, endpoint: string): void {
  const current = readEndpointFile(dataDir);
  if (current?.pid === process.pid && current.endpoint === endpoint) rmSync(endpointFilePath(dataDir));
}

/**
 * Starts dynalite in this process on 127.0.0.1, creates the table, and (on disk) records the endpoint.
 * Data on disk persists across restarts. Throws StoreHeldError when a live process holds `dataDir`:
 * use openStore to share its store instead.
 */
export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<OpenedStore> {
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  const dataDir = options.inMemory ? undefined : options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const releaseLock = dataDir ? acquireLock(dataDir) : () => undefined;
  let server: ReturnType<typeof dynalite> | undefined;
  let client: DynamoDBClient | undefined;
  const stop = async () => {
    client?.destroy();
    if (server) {
      const closing = server;
      await new Promise<void>((done, fail) => closing.close((error) => (error ? fail(error) : done())));
    }
    releaseLock();
  };
  try {
    server = dynalite({ createTableMs: 0, ...(dataDir ? { path: join(dataDir, 'dynamodb') } : {}) });
    const listening = server;
    await new Promise<void>((done, fail) => {
      listening.once('error', fail);
      listening.listen(options.port ?? 0, '127.0.0.1', () => {
        listening.off('error', fail);
        done();
      });
    });
    const endpoint = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    client = localClient(endpoint);
    await ensureTable(client, tableName);
    if (dataDir) writeEndpointFile(dataDir, { endpoint, pid: process.pid, tableName });
    return {
      store: new DynamoStore({ client, tableName }),
      endpoint,
      async close() {
        if (dataDir) removeEndpointFileIfOurs(dataDir, endpoint);
        await stop();
      },
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Connects to the store a running process holds for `dataDir`, through the endpoint it recorded.
 * Undefined when there is no record, its process is gone, or the endpoint does not answer.
 */
export async function connectToRunningStore(dataDir: string): Promise<OpenedStore | undefined> {
  const record = readEndpointFile(dataDir);
  if (!record || !isAlive(record.pid)) return undefined;
  const client = localClient(record.endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: record.tableName }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
  } catch {
    client.destroy();
    return undefined;
  }
  return {
    store: new DynamoStore({ client, tableName: record.tableName }),
    endpoint: record.endpoint,
    async close() {
      client.destroy();
    },
  };
}

/** The store of `dataDir`: the running server's when one holds it, else an embedded one started here. */
export async function openStore(dataDir: string): Promise<OpenedStore> {
  return (await connectToRunningStore(dataDir)) ?? startEmbeddedStore({ dataDir });
}
