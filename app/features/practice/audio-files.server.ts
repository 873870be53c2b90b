// Reads an uploaded recording's container from end to end: the file must be, entirely, the WebM
// or Ogg file of Opus audio that its type says, and its duration is the one the file itself
// carries (never a header the client sends). The work is one pass over at most 10 MB, with no
// recursion beyond the few nested elements named below, so a hostile file costs no more than a
// genuine one of its size.

/** Why a file is not a recording we can keep, in words for the person who uploaded it. */
export class UnreadableRecording extends Error {
  constructor(
    readonly reason: string,
    /** True when the file does not even begin like the declared type (a different kind of file). */
    readonly wrongKind = false,
  ) {
    super(reason);
    this.name = "UnreadableRecording";
  }
}

export type RecordingType = "audio/webm" | "audio/ogg";

/** The recording's length in milliseconds, or UnreadableRecording. */
export function recordingDurationMs(type: RecordingType, bytes: Uint8Array): number {
  return type === "audio/webm" ? webmDurationMs(bytes) : oggOpusDurationMs(bytes);
}

const TRUNCATED = "it ends in the middle, as if the upload was cut off";
const TRAILING = "there is other data after the end of the recording";
const DAMAGED = "its structure is damaged";
const NOT_OPUS = "it holds something other than Opus audio";

// ---------------------------------------------------------------------------------------------
// WebM (Matroska's EBML): elements of [ID][size][data]; IDs and sizes are variable-length
// integers. MediaRecorder writes the Segment and its Clusters either with their sizes or, when
// it streams, with "unknown" sizes and no Duration: then the last block's time is the length.

const EBML = 0x1a45dfa3;
const DOC_TYPE = 0x4282;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const TRACK_NUMBER = 0xd7;
const TRACK_TYPE = 0x83;
const CODEC_ID = 0x86;
const CLUSTER = 0x1f43b675;
const TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const BLOCK_DURATION = 0x9b;
const VOID = 0xec;
const CRC_32 = 0xbf;
const AUDIO_TRACK = 2;

/** What a Segment may hold; one of these also ends a Cluster whose size is unknown. */
const SEGMENT_CHILDREN = new Set([
  0x114d9b74, // SeekHead
  INFO,
  TRACKS,
  CLUSTER,
  0x1c53bb6b, // Cues
  0x1043a770, // Chapters
  0x1254c367, // Tags
  0x1941a469, // Attachments
  VOID,
  CRC_32,
]);
/** What a Cluster may hold besides its timecode and blocks (skipped). */
const CLUSTER_EXTRAS = new Set([VOID, CRC_32, 0xa7 /* Position */, 0xab /* PrevSize */, 0x5854 /* SilentTracks */]);

type Element = { id: number; dataStart: number; end: number | null };

/** Reading past `limit`: the file ends too soon, or (inside an element) a child overruns its parent. */
const overrun = (bytes: Uint8Array, limit: number) =>
  new UnreadableRecording(limit < bytes.length ? DAMAGED : TRUNCATED);

/**
 * The element header at `at`, inside a parent that ends at `limit`; `end` is null for an unknown
 * size. An ID the parent may not hold is refused before its size is believed.
 */
function elementAt(bytes: Uint8Array, at: number, limit: number, allowed?: (id: number) => boolean): Element {
  if (at >= limit) throw overrun(bytes, limit);
  const first = bytes[at]!;
  const idLength = Math.clz32(first) - 23; // leading zeros of the byte, plus one
  if (first === 0 || idLength > 4) throw new UnreadableRecording(DAMAGED);
  if (at + idLength >= limit) throw overrun(bytes, limit);
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + bytes[at + i]!;
  if (allowed && !allowed(id)) throw new UnreadableRecording(DAMAGED);
  const size = variableInteger(bytes, at + idLength, limit);
  const dataStart = at + idLength + size.length;
  if (size.value === null) return { id, dataStart, end: null };
  const end = dataStart + size.value;
  if (end > limit) throw new UnreadableRecording(end > bytes.length ? TRUNCATED : DAMAGED);
  return { id, dataStart, end };
}

/** An EBML size (or block track number): its value without the length marker; null when all ones ("unknown"). */
function variableInteger(bytes: Uint8Array, at: number, limit: number): { value: number | null; length: number } {
  if (at >= limit) throw overrun(bytes, limit);
  const first = bytes[at]!;
  if (first === 0) throw new UnreadableRecording(DAMAGED);
  const length = Math.clz32(first) - 23;
  if (at + length > limit) throw overrun(bytes, limit);
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[at + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value: allOnes ? null : value, length };
}

function knownEnd(element: Element): number {
  if (element.end === null) throw new UnreadableRecording(DAMAGED);
  return element.end;
}

function unsigned(bytes: Uint8Array, element: Element): number {
  const end = knownEnd(element);
  if (end - element.dataStart > 8) throw new UnreadableRecording(DAMAGED);
  let value = 0;
  for (let i = element.dataStart; i < end; i++) value = value * 256 + bytes[i]!;
  return value;
}

function float(bytes: Uint8Array, element: Element): number {
  const length = knownEnd(element) - element.dataStart;
  const view = new DataView(bytes.buffer, bytes.byteOffset + element.dataStart, length);
  const value = length === 4 ? view.getFloat32(0) : length === 8 ? view.getFloat64(0) : length === 0 ? 0 : NaN;
  if (!Number.isFinite(value) || value < 0) throw new UnreadableRecording(DAMAGED);
  return value;
}

/** A short ASCII string (a DocType, a CodecID); anything longer than 32 bytes is none we accept. */
function ascii(bytes: Uint8Array, element: Element): string {
  const end = knownEnd(element);
  if (end - element.dataStart > 32) return "";
  return String.fromCharCode(...bytes.subarray(element.dataStart, end)).replace(/\0+$/, "");
}

/** Each child of an element of known size, in order. */
function* children(bytes: Uint8Array, parent: Element): Generator<Element> {
  const end = knownEnd(parent);
  for (let at = parent.dataStart; at < end;) {
    const child = elementAt(bytes, at, end);
    yield child;
    at = knownEnd(child);
  }
}

const isSegmentChild = (id: number) => SEGMENT_CHILDREN.has(id);
const isClusterChild = (id: number) =>
  id === TIMECODE || id === SIMPLE_BLOCK || id === BLOCK_GROUP || CLUSTER_EXTRAS.has(id);

export function webmDurationMs(bytes: Uint8Array): number {
  const magic = bytes.length < 4 ? 0 : ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (magic !== EBML) throw new UnreadableRecording("it is not a WebM file", true);
  const header = elementAt(bytes, 0, bytes.length);
  let docType = "";
  for (const child of children(bytes, header)) if (child.id === DOC_TYPE) docType = ascii(bytes, child);
  if (docType !== "webm") throw new UnreadableRecording("it is not a WebM file", true);

  const segment = elementAt(bytes, knownEnd(header), bytes.length);
  if (segment.id !== SEGMENT) throw new UnreadableRecording(DAMAGED);
  const segmentEnd = segment.end ?? bytes.length;
  if (segmentEnd < bytes.length) throw new UnreadableRecording(TRAILING);

  let scale = 1_000_000; // nanoseconds per timecode tick, Matroska's default
  let declared = 0;
  let audioTracks: Set<number> | null = null;
  let lastTick = -Infinity;
  let blocks = 0;
  /** A block (SimpleBlock or a BlockGroup's Block) of the cluster at `clusterTick`. */
  const block = (element: Element, clusterTick: number | null, durationTicks = 0) => {
    if (clusterTick === null || audioTracks === null) throw new UnreadableRecording(DAMAGED);
    const end = knownEnd(element);
    const track = variableInteger(bytes, element.dataStart, end);
    if (track.value === null || !audioTracks.has(track.value)) throw new UnreadableRecording(NOT_OPUS);
    const at = element.dataStart + track.length;
    if (at + 3 > end) throw new UnreadableRecording(DAMAGED);
    const relative = (((bytes[at]! << 8) | bytes[at + 1]!) << 16) >> 16; // a signed 16-bit number
    lastTick = Math.max(lastTick, clusterTick + relative + durationTicks);
    blocks++;
  };

  for (let at = segment.dataStart; at < segmentEnd;) {
    const element = elementAt(bytes, at, segmentEnd, isSegmentChild);
    if (element.id === CLUSTER) {
      at = readCluster(bytes, element, segmentEnd, block);
      continue;
    }
    if (element.id === INFO) {
      for (const child of children(bytes, element)) {
        if (child.id === TIMECODE_SCALE) scale = unsigned(bytes, child);
        else if (child.id === DURATION) declared = float(bytes, child);
      }
      if (scale <= 0) throw new UnreadableRecording(DAMAGED);
    } else if (element.id === TRACKS) {
      audioTracks = opusTracks(bytes, element);
    }
    at = knownEnd(element);
  }
  if (blocks === 0) throw new UnreadableRecording("it holds no sound");
  // The larger of the Duration the file declares and the time of its last block: a Duration that
  // understates the blocks (written to slip past the limit) does not shorten the recording.
  const ms = Math.max(0, Math.max(declared, lastTick) * scale) / 1_000_000;
  if (!Number.isFinite(ms)) throw new UnreadableRecording(DAMAGED);
  return ms;
}

/** The track numbers of the Tracks element, which must all be Opus audio. */
function opusTracks(bytes: Uint8Array, tracks: Element): Set<number> {
  const numbers = new Set<number>();
  for (const entry of children(bytes, tracks)) {
    if (entry.id !== TRACK_ENTRY) continue;
    let number = 0;
    let type = 0;
    let codec = "";
    for (const child of children(bytes, entry)) {
      if (child.id === TRACK_NUMBER) number = unsigned(bytes, child);
      else if (child.id === TRACK_TYPE) type = unsigned(bytes, child);
      else if (child.id === CODEC_ID) codec = ascii(bytes, child);
    }
    if (type !== AUDIO_TRACK || codec !== "A_OPUS" || number < 1) throw new UnreadableRecording(NOT_OPUS);
    numbers.add(number);
  }
  if (numbers.size === 0) throw new UnreadableRecording(NOT_OPUS);
  return numbers;
}

/**
 * Reads one Cluster's timecode and blocks; returns where the next element starts. A Cluster of
 * unknown size ends where an element that only a Segment may hold begins, or with the Segment.
 */
function readCluster(
  bytes: Uint8Array,
  cluster: Element,
  segmentEnd: number,
  block: (element: Element, clusterTick: number | null, durationTicks?: number) => void,
): number {
  const end = cluster.end ?? segmentEnd;
  const allowed = cluster.end === null ? (id: number) => isClusterChild(id) || isSegmentChild(id) : isClusterChild;
  let tick: number | null = null;
  let at = cluster.dataStart;
  while (at < end) {
    const element = elementAt(bytes, at, end, allowed);
    if (!isClusterChild(element.id)) return at; // the next element of the Segment
    if (element.id === TIMECODE) tick = unsigned(bytes, element);
    else if (element.id === SIMPLE_BLOCK) block(element, tick);
    else if (element.id === BLOCK_GROUP) {
      let inner: Element | null = null;
      let duration = 0;
      for (const child of children(bytes, element)) {
        if (child.id === BLOCK) inner = child;
        else if (child.id === BLOCK_DURATION) duration = unsigned(bytes, child);
      }
      if (!inner) throw new UnreadableRecording(DAMAGED);
      block(inner, tick, duration);
    }
    at = knownEnd(element);
  }
  return end;
}

// ---------------------------------------------------------------------------------------------
// Ogg: a chain of pages, each starting with "OggS" and checked by its CRC. One logical stream of
// Opus (RFC 7845): an OpusHead packet alone on the first page, OpusTags next, then audio. The
// last page is marked end-of-stream; its granule position, less the pre-skip, counts the samples
// at 48 kHz.

const CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const CONTINUED = 0x01;
const FIRST_PAGE = 0x02;
const LAST_PAGE = 0x04;
const NO_GRANULE = -1n;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 of a page, its own checksum field counted as zeros. */
export function oggPageCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

const startsWith = (bytes: Uint8Array, at: number, text: string) =>
  at + text.length <= bytes.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

export function oggOpusDurationMs(bytes: Uint8Array): number {
  if (bytes.length < 4 || !CAPTURE.every((b, i) => bytes[i] === b))
    throw new UnreadableRecording("it is not an Ogg file", true);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let serial = 0;
  let sequence = 0;
  let preSkip = 0;
  let granule = 0n;
  let ended = false;
  let packetOpen = false; // the previous page ended in the middle of a packet
  let packets = 0;
  for (let at = 0; at < bytes.length;) {
    if (ended) throw new UnreadableRecording(TRAILING);
    const rest = Math.min(4, bytes.length - at);
    if (!CAPTURE.slice(0, rest).every((b, i) => bytes[at + i] === b)) throw new UnreadableRecording(TRAILING);
    if (at + 27 > bytes.length) throw new UnreadableRecording(TRUNCATED);
    const flags = bytes[at + 5]!;
    if (bytes[at + 4] !== 0 || flags & ~(CONTINUED | FIRST_PAGE | LAST_PAGE)) throw new UnreadableRecording(DAMAGED);
    const segments = bytes[at + 26]!;
    const bodyStart = at + 27 + segments;
    if (bodyStart > bytes.length) throw new UnreadableRecording(TRUNCATED);
    let bodyLength = 0;
    for (let i = at + 27; i < bodyStart; i++) bodyLength += bytes[i]!;
    const end = bodyStart + bodyLength;
    if (end > bytes.length) throw new UnreadableRecording(TRUNCATED);
    if (view.getUint32(at + 22, true) !== oggPageCrc(bytes.subarray(at, end))) throw new UnreadableRecording(DAMAGED);

    const first = at === 0;
    if (first !== Boolean(flags & FIRST_PAGE) || packetOpen !== Boolean(flags & CONTINUED))
      throw new UnreadableRecording(DAMAGED);
    if (first) serial = view.getUint32(at + 14, true);
    else if (view.getUint32(at + 14, true) !== serial) throw new UnreadableRecording(NOT_OPUS);
    if (view.getUint32(at + 18, true) !== sequence++) throw new UnreadableRecording(DAMAGED);

    // Packets that start on this page: the first at the body's start (unless it continues one),
    // each next one after a lacing value under 255.
    let packetStart = bodyStart;
    for (let i = at + 27; i < bodyStart; i++) {
      const lacing = bytes[i]!;
      if (!packetOpen) {
        if (packets === 0) {
          // Version 0.x, at least one channel.
          const header = startsWith(bytes, packetStart, "OpusHead") && packetStart + 19 <= end;
          if (!header || bytes[packetStart + 8]! >> 4 || bytes[packetStart + 9] === 0)
            throw new UnreadableRecording(NOT_OPUS);
          preSkip = view.getUint16(packetStart + 10, true);
        } else if (packets === 1 && !startsWith(bytes, packetStart, "OpusTags")) {
          throw new UnreadableRecording(NOT_OPUS);
        }
        packets++;
      }
      packetStart += lacing;
      packetOpen = lacing === 255;
    }
    // The identification header is alone on the first page (RFC 7845, section 3).
    if (first && (packets !== 1 || packetOpen)) throw new UnreadableRecording(NOT_OPUS);

    const position = view.getBigInt64(at + 6, true);
    if (position !== NO_GRANULE) {
      if (position < granule) throw new UnreadableRecording(DAMAGED);
      granule = position;
    }
    ended = Boolean(flags & LAST_PAGE);
    at = end;
  }
  if (!ended || packetOpen) throw new UnreadableRecording(TRUNCATED);
  if (packets < 3) throw new UnreadableRecording("it holds no sound");
  const samples = granule - BigInt(preSkip);
  return samples > 0n ? Number(samples) / 48 : 0;
}
