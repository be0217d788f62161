/**
 * Reads the deployment packages `osls package` writes: the file names in a zip's central directory, and
 * the files themselves (stored or deflated, the two methods zip writers use), with no unzip tool.
 */
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

function centralDirectory(archive: Buffer): ZipEntry[] {
  const end = archive.lastIndexOf(END_OF_CENTRAL_DIRECTORY);
  if (end < 0) throw new Error('not a zip archive: no end of central directory');
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    entries.push({
      name: archive.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: archive.readUInt16LE(offset + 10),
      compressedSize: archive.readUInt32LE(offset + 20),
      localHeaderOffset: archive.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** File names in a zip, sorted. */
export function zipEntries(archive: Buffer): string[] {
  return centralDirectory(archive)
    .map(({ name }) => name)
    .sort();
}

/** One file of a zip, uncompressed; throws when the zip has no such file. */
export function zipFile(archive: Buffer, name: string): Buffer {
  const entry = centralDirectory(archive).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`the zip holds no ${name}`);
  // The local header repeats the name and may carry a different extra field: its lengths place the data.
  const header = entry.localHeaderOffset;
  const start = header + 30 + archive.readUInt16LE(header + 26) + archive.readUInt16LE(header + 28);
  const data = archive.subarray(start, start + entry.compressedSize);
  if (entry.method === STORED) return Buffer.from(data);
  if (entry.method === DEFLATED) return inflateRawSync(data);
  throw new Error(`${name}: zip compression method ${entry.method} is not stored or deflated`);
}
