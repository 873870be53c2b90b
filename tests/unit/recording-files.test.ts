// The recording's container is read from end to end: its length comes from the file, and a file
// that is not entirely one WebM or Ogg file of Opus audio is refused with the reason.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  oggOpusDurationMs,
  recordingDurationMs,
  UnreadableRecording,
  webmDurationMs,
} from "~/features/practice/audio-files.server";
import { element, oggOpusRecording, oggPage, webmRecording } from "../support/audio-files";

const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/recordings/${name}`, import.meta.url));

function refusal(read: () => unknown): UnreadableRecording {
  try {
    read();
  } catch (error) {
    if (error instanceof UnreadableRecording) return error;
    throw error;
  }
  throw new Error("the file was accepted");
}

describe("WebM", () => {
  it("reads Chromium's own recordings: finished (sizes and Duration) and streamed (unknown sizes, no Duration)", () => {
    // Recorded by /usr/bin/chromium 156 with its fake microphone for 1.5 s: with rec.start(), and
    // with rec.start(250), which writes the Segment and Clusters with unknown sizes.
    const finished = webmDurationMs(fixture("chromium-finished.webm"));
    const streamed = webmDurationMs(fixture("chromium-streamed.webm"));
    for (const ms of [finished, streamed]) {
      expect(ms).toBeGreaterThan(1_300);
      expect(ms).toBeLessThan(1_600);
    }
    expect(finished).toBe(1_440); // its Duration element
  });

  it("takes the length from the last block when there is no Duration, walking every Cluster", () => {
    expect(webmDurationMs(webmRecording({ durationMs: 42_000 }))).toBe(42_000);
    expect(webmDurationMs(webmRecording({ durationMs: 42_010, sized: true }))).toBe(42_010);
    expect(webmDurationMs(webmRecording({ durationMs: 600_000, frameMs: 60 }))).toBe(600_000);
  });

  it("a Duration that understates the blocks does not shorten the recording", () => {
    expect(webmDurationMs(webmRecording({ durationMs: 240_000, declaredDurationMs: 1_000, frameMs: 60 }))).toBe(
      240_000,
    );
    expect(webmDurationMs(webmRecording({ durationMs: 1_000, declaredDurationMs: 1_500, sized: true }))).toBe(1_500);
  });

  it("refuses a WebM header followed by an Ogg file, and any data after the end", () => {
    const ogg = oggOpusRecording({ durationMs: 1_000 });
    expect(
      refusal(() => webmDurationMs(Buffer.concat([webmRecording({ durationMs: 1_000, sized: true }), ogg]))).reason,
    ).toMatch(/other data after the end/);
    // Streamed (unknown sizes): the Ogg bytes are read as an element no Segment may hold.
    expect(refusal(() => webmDurationMs(Buffer.concat([webmRecording({ durationMs: 1_000 }), ogg]))).reason).toMatch(
      /damaged/,
    );
    const chromium = fixture("chromium-finished.webm");
    expect(refusal(() => webmDurationMs(Buffer.concat([chromium, Buffer.from("\n")]))).reason).toMatch(/after the end/);
    // An Ogg file hidden in a Cluster element whose declared size covers it is still not a block.
    expect(() =>
      webmDurationMs(
        Buffer.concat([
          element(0x1a45dfa3, element(0x4282, Buffer.from("webm"))),
          element(0x18538067, element(0x1f43b675, element(0xe7, Buffer.from([0])), ogg)),
        ]),
      ),
    ).toThrow(UnreadableRecording);
  });

  it("refuses a finished file cut short anywhere", () => {
    const whole = webmRecording({ durationMs: 3_000, sized: true });
    for (let cut = 4; cut < whole.length; cut += 37) {
      const error = refusal(() => webmDurationMs(whole.subarray(0, cut)));
      expect(error.reason, `cut at ${cut}`).toMatch(/ends in the middle/);
    }
  });

  it("refuses a streamed file cut in the middle of an element", () => {
    const whole = webmRecording({ durationMs: 3_000 });
    expect(refusal(() => webmDurationMs(whole.subarray(0, whole.length - 2))).reason).toMatch(/ends in the middle/);
    expect(refusal(() => webmDurationMs(fixture("chromium-streamed.webm").subarray(0, 9_000))).reason).toMatch(
      /ends in the middle/,
    );
  });

  it("refuses what is not WebM Opus audio", () => {
    const matroska = refusal(() => webmDurationMs(webmRecording({ durationMs: 1_000, docType: "matroska" })));
    expect(matroska.wrongKind).toBe(true);
    expect(refusal(() => webmDurationMs(Buffer.from("MZ\x90\x00 not a recording"))).wrongKind).toBe(true);
    expect(refusal(() => webmDurationMs(webmRecording({ durationMs: 1_000, codec: "A_VORBIS" }))).reason).toMatch(
      /other than Opus/,
    );
    expect(refusal(() => webmDurationMs(webmRecording({ durationMs: 1_000, trackType: 1 }))).reason).toMatch(
      /other than Opus/,
    );
    // A codec name of 2 MB is no codec we know, read without copying it anywhere.
    expect(
      refusal(() => webmDurationMs(webmRecording({ durationMs: 1_000, codec: "A".repeat(2_000_000) }))).reason,
    ).toMatch(/other than Opus/);
  });
});

describe("Ogg Opus", () => {
  it("takes the length from the last page's granule position, less the pre-skip", () => {
    expect(oggOpusDurationMs(oggOpusRecording({ durationMs: 42_000 }))).toBe(42_000);
    expect(oggOpusDurationMs(oggOpusRecording({ durationMs: 1_234, preSkip: 3_840 }))).toBe(1_234);
    expect(oggOpusDurationMs(oggOpusRecording({ durationMs: 600_000 }))).toBe(600_000);
    // A packet that continues on the next page (a long OpusTags) is read across the two.
    expect(oggOpusDurationMs(oggOpusRecording({ durationMs: 5_000, longTags: true }))).toBe(5_000);
    expect(recordingDurationMs("audio/ogg", oggOpusRecording({ durationMs: 2_000 }))).toBe(2_000);
  });

  it("refuses a file cut short anywhere, or without its end-of-stream page", () => {
    const whole = oggOpusRecording({ durationMs: 3_000 });
    for (let cut = 4; cut < whole.length; cut += 29) {
      expect(refusal(() => oggOpusDurationMs(whole.subarray(0, cut))).reason, `cut at ${cut}`).toMatch(
        /ends in the middle/,
      );
    }
    expect(
      refusal(() => oggOpusDurationMs(oggOpusRecording({ durationMs: 3_000, endOfStream: false }))).reason,
    ).toMatch(/ends in the middle/);
  });

  it("refuses an Ogg file followed by a WebM file or by anything else", () => {
    const ogg = oggOpusRecording({ durationMs: 1_000 });
    for (const tail of [
      webmRecording({ durationMs: 1_000 }),
      Buffer.from("<script>alert(1)</script>"),
      Buffer.from("O"),
    ])
      expect(refusal(() => oggOpusDurationMs(Buffer.concat([ogg, tail]))).reason).toMatch(/after the end/);
    // A second Ogg file after the first one's end-of-stream page.
    expect(refusal(() => oggOpusDurationMs(Buffer.concat([ogg, ogg]))).reason).toMatch(/after the end/);
  });

  it("refuses a page whose checksum does not match", () => {
    const damaged = Buffer.from(oggOpusRecording({ durationMs: 3_000 }));
    const at = damaged.length - 10;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0x01, at);
    expect(refusal(() => oggOpusDurationMs(damaged)).reason).toMatch(/damaged/);
  });

  it("refuses what is not one stream of Opus audio", () => {
    const vorbis = Buffer.from("\x01vorbis\x00\x00\x00\x00\x01\x80\xbb\x00\x00\x00\x00\x00\x00", "latin1");
    expect(refusal(() => oggOpusDurationMs(oggOpusRecording({ durationMs: 1_000, head: vorbis }))).reason).toMatch(
      /other than Opus/,
    );
    // A page of another logical stream in the middle.
    const ogg = oggOpusRecording({ durationMs: 1_000 });
    const firstTwo = ogg.subarray(0, ogg.indexOf("OggS", ogg.indexOf("OggS", 4) + 4));
    const stranger = oggPage([3], Buffer.from("abc"), { flags: 0, granule: 0n, serial: 7, sequence: 2 });
    expect(refusal(() => oggOpusDurationMs(Buffer.concat([firstTwo, stranger]))).reason).toMatch(/other than Opus/);
    expect(refusal(() => oggOpusDurationMs(webmRecording({ durationMs: 1_000 }))).wrongKind).toBe(true);
  });
});
