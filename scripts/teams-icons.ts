/**
 * Draws the Teams app's two icons (teams/color.png, 192×192, and teams/outline.png, 32×32 white on
 * transparent, as the Teams manifest requires) as PNGs with nothing but zlib, so the icons are made
 * here and can be made again: `node bin/run-ts.js scripts/teams-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG of `size`×`size` pixels coloured by `pixel(x, y)`. */
function png(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: RGBA
  const rows = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y += 1) {
    const row = y * (1 + size * 4); // each row starts with filter type 0
    for (let x = 0; x < size; x += 1) Buffer.from(pixel(x, y)).copy(rows, row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Whether (x, y), in a square of `size`, is inside a pointy-topped hexagon of radius `r` at the centre. */
function inHexagon(x: number, y: number, size: number, r: number): boolean {
  const dx = Math.abs(x + 0.5 - size / 2);
  const dy = Math.abs(y + 0.5 - size / 2);
  const half = (r * Math.sqrt(3)) / 2;
  return dx <= half && dy <= r - dx / Math.sqrt(3);
}

const HONEY: Rgba = [0xd9, 0x8a, 0x00, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

const dir = join(__dirname, '..', 'teams');
writeFileSync(
  join(dir, 'color.png'),
  png(192, (x, y) => (inHexagon(x, y, 192, 64) && !inHexagon(x, y, 192, 40) ? WHITE : HONEY)),
);
writeFileSync(
  join(dir, 'outline.png'),
  png(32, (x, y) => (inHexagon(x, y, 32, 14) && !inHexagon(x, y, 32, 10) ? WHITE : CLEAR)),
);
