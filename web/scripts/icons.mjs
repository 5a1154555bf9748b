// Draws the app's icons (web/public/icons/*.png) from the same shape as the favicon: a speech bubble on
// an indigo square. Run once when the shape changes: `node web/scripts/icons.mjs`. No image library:
// a few lines of rasterising and node:zlib write a valid PNG.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const indigo = [0x4f, 0x46, 0xe5];
const white = [0xff, 0xff, 0xff];
// The favicon's 32-unit bubble: M8 10 h16 v9 H14 l-5 4 v-4 H8 z
const bubble = [
  [8, 10],
  [24, 10],
  [24, 19],
  [14, 19],
  [9, 23],
  [9, 19],
  [8, 19],
];

function inside([x, y], polygon) {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function inRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 32 - radius);
  const cy = Math.min(Math.max(y, radius), 32 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** `maskable` fills the whole square (the platform cuts its own shape) and keeps the bubble in the safe zone. */
function draw(size, maskable) {
  const rows = [];
  const samples = 4;
  for (let py = 0; py < size; py++) {
    const row = [0];
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          let x = ((px + (sx + 0.5) / samples) / size) * 32;
          let y = ((py + (sy + 0.5) / samples) / size) * 32;
          const square = maskable || inRoundedSquare(x, y, 8);
          if (maskable) {
            // The bubble at 70% around the centre: inside the 80% safe circle.
            x = 16 + (x - 16) / 0.7;
            y = 16 + (y - 16) / 0.7;
          }
          if (square) inside([x, y], bubble) ? fg++ : bg++;
        }
      }
      const n = samples * samples;
      const alpha = (bg + fg) / n;
      const mix = fg / Math.max(1, bg + fg);
      for (let c = 0; c < 3; c++) row.push(Math.round(indigo[c] * (1 - mix) + white[c] * mix));
      row.push(Math.round(alpha * 255));
    }
    rows.push(Buffer.from(row));
  }
  return png(size, Buffer.concat(rows));
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([length, body, sum]);
}
function png(size, raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = path.resolve(import.meta.dirname, '../public/icons');
fs.mkdirSync(out, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['badge-96.png', 96, false],
]) {
  fs.writeFileSync(path.join(out, name), draw(size, maskable));
}
