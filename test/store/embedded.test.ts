/**
 * The embedded store on disk: persistence across restarts, one holder per data directory, and other
 * processes reaching the holder's store through the endpoint it records.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  connectToRunningStore,
  endpointFilePath,
  openStore,
  startEmbeddedStore,
  type OpenedStore,
} from '../../src/store/embedded';
import { StoreHeldError } from '../../src/store/errors';
import type { AlertRecord } from '../../src/domain/alert';
import { makeAlertRecord } from '../helpers/alerts';

const ROOT = join(__dirname, '..', '..');

let dataDir: string;
const opened: OpenedStore[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hivewire-store-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function track(store: Promise<OpenedStore>): Promise<OpenedStore> {
  const resolved = await store;
  opened.push(resolved);
  return resolved;
}

function withoutVersion(record: AlertRecord): Omit<AlertRecord, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('startEmbeddedStore on a data directory', () => {
  it('records its endpoint, pid and table in endpoint.json while it runs, and removes it on close', async () => {
    const embedded = await startEmbeddedStore({ dataDir });
    expect(embedded.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(readFileSync(endpointFilePath(dataDir), 'utf8'))).toEqual({
      endpoint: embedded.endpoint,
      pid: process.pid,
      tableName: 'hivewire',
    });
    await embedded.close();
    expect(existsSync(endpointFilePath(dataDir))).toBe(false);
    expect(existsSync(join(dataDir, 'store.lock'))).toBe(false);
  });

  it('keeps its data across a restart on the same directory', async () => {
    const record = makeAlertRecord();
    const first = await startEmbeddedStore({ dataDir });
    await first.store.createAlert(withoutVersion(record));
    await first.store.appendAudit({
      fingerprint: record.fingerprint,
      actor: { kind: 'system' },
      action: 'posted',
    });
    await first.store.putSetting('severityThreshold', 'HIGH');
    await first.close();

    const second = await track(startEmbeddedStore({ dataDir }));
    expect(await second.store.getAlert(record.fingerprint)).toEqual({ ...record, version: 1 });
    expect((await second.store.listAudit(record.fingerprint)).map((event) => event.action)).toEqual([
      'posted',
    ]);
    expect(await second.store.getSetting('severityThreshold')).toBe('HIGH');
  });

  it('refuses a second start on a directory it holds with StoreHeldError, and keeps working', async () => {
    const holder = await track(startEmbeddedStore({ dataDir }));
    const second = startEmbeddedStore({ dataDir });
    await expect(second).rejects.toBeInstanceOf(StoreHeldError);
    await expect(second).rejects.toMatchObject({ code: 'STORE_HELD', pid: process.pid, dataDir });
    await holder.store.putSetting('still', 'working');
    expect(await holder.store.getSetting('still')).toBe('working');
  });

  it('takes over a lock left by a process that died', async () => {
    writeFileSync(join(dataDir, 'store.lock'), String(deadPid()));
    const embedded = await track(startEmbeddedStore({ dataDir }));
    expect(readFileSync(join(dataDir, 'store.lock'), 'utf8')).toBe(String(process.pid));
    await embedded.store.putSetting('k', 1);
    expect(await embedded.store.getSetting('k')).toBe(1);
  });

  it('takes over a lock with its own pid that it did not take (a restarted container keeps pid 1)', async () => {
    writeFileSync(join(dataDir, 'store.lock'), String(process.pid));
    const embedded = await track(startEmbeddedStore({ dataDir }));
    expect(embedded.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('listens on the port it is given', async () => {
    const port = await closedPort();
    const embedded = await track(startEmbeddedStore({ dataDir, port }));
    expect(embedded.endpoint).toBe(`http://127.0.0.1:${port}`);
  });
});

describe('connectToRunningStore', () => {
  it("connects through the endpoint file to the holder's store", async () => {
    const holder = await track(startEmbeddedStore({ dataDir }));
    const record = makeAlertRecord();
    await holder.store.createAlert(withoutVersion(record));

    const connected = await track(connectToRunningStore(dataDir).then((store) => store!));
    expect(connected.endpoint).toBe(holder.endpoint);
    expect((await connected.store.getAlert(record.fingerprint))?.finding.title).toBe(record.finding.title);
    await connected.store.putSetting('from', 'client');
    expect(await holder.store.getSetting('from')).toBe('client');
  });

  it('finds nothing when no endpoint was recorded', async () => {
    expect(await connectToRunningStore(dataDir)).toBeUndefined();
  });

  it('finds nothing when the recorded process is gone', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(
      endpointFilePath(dataDir),
      JSON.stringify({ endpoint, pid: deadPid(), tableName: 'hivewire' }),
    );
    expect(await connectToRunningStore(dataDir)).toBeUndefined();
  });

  it('finds nothing when the recorded endpoint does not answer', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(
      endpointFilePath(dataDir),
      JSON.stringify({ endpoint, pid: process.pid, tableName: 'hivewire' }),
    );
    expect(await connectToRunningStore(dataDir)).toBeUndefined();
  });

  it('finds nothing when the endpoint file is not a record', async () => {
    writeFileSync(endpointFilePath(dataDir), '{"endpoint": "file:///etc/passwd", "pid": 1}');
    expect(await connectToRunningStore(dataDir)).toBeUndefined();
  });
});

describe('openStore', () => {
  it('connects to the running holder instead of opening the directory again', async () => {
    const holder = await track(startEmbeddedStore({ dataDir }));
    const store = await track(openStore(dataDir));
    expect(store.endpoint).toBe(holder.endpoint);
  });

  it('starts an embedded store when nothing holds the directory, and lets go of it on close', async () => {
    const store = await openStore(dataDir);
    expect(JSON.parse(readFileSync(endpointFilePath(dataDir), 'utf8')).endpoint).toBe(store.endpoint);
    await store.close();
    const again = await track(startEmbeddedStore({ dataDir }));
    expect(again.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets a second process read and write the store this process holds', async () => {
    const holder = await track(startEmbeddedStore({ dataDir }));
    const record = makeAlertRecord();
    await holder.store.createAlert(withoutVersion(record));

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin', 'run-ts.js'), join(__dirname, 'open-store-child.ts'), dataDir, record.fingerprint],
      { cwd: ROOT },
    );
    expect(JSON.parse(stdout)).toEqual({ endpoint: holder.endpoint, title: record.finding.title });
    expect((await holder.store.listAudit(record.fingerprint)).map((event) => event.action)).toEqual([
      'read-by-child',
    ]);
  });
});
