// Minimal, valid recordings of a chosen length, written the way browsers' MediaRecorder writes
// them: WebM (EBML) with one Opus track, and Ogg pages of one Opus stream. The packets are not
// real sound (nothing here decodes them); the containers are exact, so tests can also damage them
// on purpose: cut them short, append another file, or let them run past the limit.
import { oggPageCrc } from "~/features/practice/audio-files.server";

// ---- WebM ----------------------------------------------------------------------------------

const idBytes = (id: number) => {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return out;
};

/** An EBML size as 8 bytes (0x01 then 7 bytes), or the 8-byte "unknown size". */
const sizeBytes = (size: number | null) => {
  const out = [0x01];
  for (let i = 6; i >= 0; i--) out.push(size === null ? 0xff : Math.floor(size / 256 ** i) % 256);
  return out;
};

export function element(id: number, ...data: Uint8Array[]): Buffer {
  const body = Buffer.concat(data);
  return Buffer.concat([Buffer.from(idBytes(id)), Buffer.from(sizeBytes(body.length)), body]);
}

/** An element whose size is written as unknown, as MediaRecorder writes a Segment or Cluster while streaming. */
export function unsizedElement(id: number, ...data: Uint8Array[]): Buffer {
  return Buffer.concat([Buffer.from(idBytes(id)), Buffer.from(sizeBytes(null)), ...data]);
}

const uint = (id: number, value: number) => {
  const bytes: number[] = [];
  for (let v = value; bytes.length === 0 || v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return element(id, Buffer.from(bytes));
};
const text = (id: number, value: string) => element(id, Buffer.from(value, "latin1"));
const float64 = (id: number, value: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(value);
  return element(id, b);
};

const OPUS_HEAD = Buffer.from([
  ...Buffer.from("OpusHead"),
  1, // version
  1, // channels
  0x38,
  0x01, // pre-skip 312
  0x80,
  0xbb,
  0,
  0, // 48 kHz input
  0,
  0, // gain
  0, // mapping family
]);

/** One Opus packet of 20 ms (a CELT TOC byte, then filler). */
const PACKET = Buffer.from([0xfc, 0xff, 0xfe, 0xff, 0xfe]);

export type WebmOptions = {
  /** Length of the recording: the last block starts here. */
  durationMs: number;
  /** A Duration element in Info (MediaRecorder writes none while streaming). */
  declaredDurationMs?: number;
  /** Segment and Clusters with their sizes, as a finished file; otherwise unknown, as streamed. */
  sized?: boolean;
  frameMs?: number;
  clusterMs?: number;
  /** Bytes per Opus packet (5 by default): larger ones make a file of a chosen size. */
  packetBytes?: number;
  docType?: string;
  codec?: string;
  trackType?: number;
};

export function webmRecording(options: WebmOptions): Buffer {
  const { durationMs, frameMs = 20, clusterMs = 5_000, sized = false } = options;
  const packet = options.packetBytes ? Buffer.alloc(options.packetBytes, 0xfe).fill(PACKET, 0, 5) : PACKET;
  const header = element(
    0x1a45dfa3,
    uint(0x4286, 1),
    uint(0x42f7, 1),
    uint(0x42f2, 4),
    uint(0x42f3, 8),
    text(0x4282, options.docType ?? "webm"),
    uint(0x4287, 4),
    uint(0x4285, 2),
  );
  const info = element(
    0x1549a966,
    uint(0x2ad7b1, 1_000_000),
    text(0x4d80, "Flywheel tests"),
    text(0x5741, "Flywheel tests"),
    ...(options.declaredDurationMs === undefined ? [] : [float64(0x4489, options.declaredDurationMs)]),
  );
  const tracks = element(
    0x1654ae6b,
    element(
      0xae,
      uint(0xd7, 1),
      uint(0x73c5, 12345),
      uint(0x83, options.trackType ?? 2),
      text(0x86, options.codec ?? "A_OPUS"),
      element(0x63a2, OPUS_HEAD),
      element(0xe1, float64(0xb5, 48_000), uint(0x9f, 1)),
    ),
  );
  // Blocks every frameMs, the last one exactly at durationMs; a new Cluster every clusterMs.
  const times: number[] = [];
  for (let t = 0; t < durationMs; t += frameMs) times.push(t);
  times.push(durationMs);
  const clusters: Buffer[] = [];
  for (let start = 0; start <= durationMs; start += clusterMs) {
    const blocks: Buffer[] = [uint(0xe7, start)];
    for (const t of times.filter((t) => t >= start && t < start + clusterMs)) {
      const relative = t - start;
      blocks.push(element(0xa3, Buffer.from([0x81, (relative >> 8) & 0xff, relative & 0xff, 0x80]), packet));
    }
    clusters.push(sized ? element(0x1f43b675, ...blocks) : unsizedElement(0x1f43b675, ...blocks));
  }
  const body = [info, tracks, ...clusters];
  return Buffer.concat([header, sized ? element(0x18538067, ...body) : unsizedElement(0x18538067, ...body)]);
}

// ---- Ogg -----------------------------------------------------------------------------------

/** Ogg lacing values of a whole packet: 255 for each full segment, then the rest (0 after an exact multiple). */
const lacingOf = (packet: Buffer) => [...Array<number>(Math.floor(packet.length / 255)).fill(255), packet.length % 255];

export type OggPageHeader = { flags: number; granule: bigint; serial: number; sequence: number };

/** One page: its lacing values, the bytes they describe, and its CRC. */
export function oggPage(lacing: number[], body: Buffer, page: OggPageHeader): Buffer {
  const head = Buffer.alloc(27);
  head.write("OggS", 0, "latin1");
  head[5] = page.flags;
  head.writeBigInt64LE(page.granule, 6);
  head.writeUInt32LE(page.serial, 14);
  head.writeUInt32LE(page.sequence, 18);
  head[26] = lacing.length;
  const out = Buffer.concat([head, Buffer.from(lacing), body]);
  out.writeUInt32LE(oggPageCrc(out), 22);
  return out;
}

const packetsPage = (packets: Buffer[], page: OggPageHeader) =>
  oggPage(packets.flatMap(lacingOf), Buffer.concat(packets), page);

export type OggOptions = {
  durationMs: number;
  /** OpusTags long enough to continue on a second page (a packet across pages). */
  longTags?: boolean;
  preSkip?: number;
  /** Mark the last page end-of-stream (MediaRecorder does). */
  endOfStream?: boolean;
  head?: Buffer;
  serial?: number;
};

const SAMPLES_PER_PACKET = 960; // 20 ms at 48 kHz
const PACKETS_PER_PAGE = 50;

export function oggOpusRecording(options: OggOptions): Buffer {
  const { durationMs, preSkip = 312, endOfStream = true, serial = 0x5eed } = options;
  const head = options.head ?? Buffer.from(OPUS_HEAD);
  if (!options.head) head.writeUInt16LE(preSkip, 10);
  const vendor = Buffer.from(options.longTags ? "t".repeat(400) : "tests");
  const vendorLength = Buffer.alloc(4);
  vendorLength.writeUInt32LE(vendor.length);
  const tags = Buffer.concat([Buffer.from("OpusTags"), vendorLength, vendor, Buffer.alloc(4)]);
  const pages = [packetsPage([head], { flags: 0x02, granule: 0n, serial, sequence: 0 })];
  if (options.longTags) {
    // The first 255 bytes on one page (no granule: no packet ends there), the rest continued on the next.
    pages.push(oggPage([255], tags.subarray(0, 255), { flags: 0, granule: -1n, serial, sequence: 1 }));
    pages.push(
      oggPage(lacingOf(tags.subarray(255)), tags.subarray(255), { flags: 0x01, granule: 0n, serial, sequence: 2 }),
    );
  } else pages.push(packetsPage([tags], { flags: 0, granule: 0n, serial, sequence: 1 }));
  const totalSamples = Math.round(durationMs * 48);
  const packetCount = Math.max(1, Math.ceil(totalSamples / SAMPLES_PER_PACKET));
  for (let first = 0; first < packetCount; first += PACKETS_PER_PAGE) {
    const count = Math.min(PACKETS_PER_PAGE, packetCount - first);
    const last = first + count >= packetCount;
    const granule = BigInt(preSkip + (last ? totalSamples : (first + count) * SAMPLES_PER_PACKET));
    pages.push(
      packetsPage(
        Array.from({ length: count }, () => Buffer.from(PACKET)),
        {
          flags: last && endOfStream ? 0x04 : 0,
          granule,
          serial,
          sequence: pages.length,
        },
      ),
    );
  }
  return Buffer.concat(pages);
}
