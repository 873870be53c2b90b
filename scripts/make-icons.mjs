// Draws the app's home-screen icons (the favicon's ring and arrow, white on the brand blue) as PNG
// files in public/icons/: node scripts/make-icons.mjs. No image tool is needed: each pixel is
// sampled 4×4 times for smooth edges, and the PNG is written with node's zlib.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const BRAND = [0x1f, 0x5f, 0xd1];
const OUT = path.resolve("public/icons");

// The favicon's drawing on its 32-unit grid (public/favicon.svg).
const CENTER = 16;
const RING_RADIUS = 10;
const STROKE = 1.5; // half of the favicon's stroke-width 3
const ARC_FROM = -Math.PI / 2; // the top of the ring, drawn clockwise
const ARC_TO = Math.atan2(12.9 - 16, 6.5 - 16) + 2 * Math.PI;
const ARROW = [
  [5, 8],
  [6.6, 13],
  [11.6, 11.6],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Whether a point of the 32-unit grid is on the white glyph (the ring's arc or the arrow). */
function onGlyph(x, y) {
  let angle = Math.atan2(y - CENTER, x - CENTER);
  if (angle < ARC_FROM) angle += 2 * Math.PI;
  const onArc =
    angle <= ARC_TO
      ? Math.abs(Math.hypot(x - CENTER, y - CENTER) - RING_RADIUS) <= STROKE
      : [ARC_FROM, ARC_TO].some(
          (a) => Math.hypot(x - CENTER - RING_RADIUS * Math.cos(a), y - CENTER - RING_RADIUS * Math.sin(a)) <= STROKE,
        );
  return (
    onArc ||
    distanceToSegment(x, y, ARROW[0], ARROW[1]) <= STROKE ||
    distanceToSegment(x, y, ARROW[1], ARROW[2]) <= STROKE
  );
}

/**
 * One icon: `glyphScale` shrinks the drawing towards the centre (a maskable icon keeps it inside
 * the middle 80 %), `round` draws the favicon's blue disc on a transparent square instead of a
 * full square of blue (which is what maskable icons and iOS want).
 */
function draw(size, { glyphScale, round }) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let blue = 0;
      let white = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          // The sample on the 32-unit grid, scaled about its centre.
          const gx = ((px + (sx + 0.5) / n) / size) * 32;
          const gy = ((py + (sy + 0.5) / n) / size) * 32;
          const inside = !round || Math.hypot(gx - CENTER, gy - CENTER) <= 14;
          if (!inside) continue;
          if (onGlyph(CENTER + (gx - CENTER) / glyphScale, CENTER + (gy - CENTER) / glyphScale)) white++;
          else blue++;
        }
      }
      const covered = blue + white;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = covered ? Math.round((BRAND[c] * blue + 255 * white) / covered) : 0;
      rgba[i + 3] = Math.round((covered / (n * n)) * 255);
    }
  }
  return png(size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** An 8-bit RGBA PNG: each row is preceded by filter type 0 (none) and the whole is deflated. */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

fs.mkdirSync(OUT, { recursive: true });
const icons = {
  "icon-192.png": draw(192, { glyphScale: 0.85, round: true }),
  "icon-512.png": draw(512, { glyphScale: 0.85, round: true }),
  // The safe zone of a maskable icon is the centre circle of 80 % of its width.
  "maskable-512.png": draw(512, { glyphScale: 0.8, round: false }),
  // iOS shows transparency as black and rounds the corners itself.
  "apple-touch-icon.png": draw(180, { glyphScale: 0.85, round: false }),
};
for (const [name, bytes] of Object.entries(icons)) fs.writeFileSync(path.join(OUT, name), bytes);
console.log(`wrote ${Object.keys(icons).join(", ")} to ${path.relative(process.cwd(), OUT)}`);
