import { useEffect, useRef, useState } from "react";
import { useHydrated } from "./use-hydrated";

export const MAX_RECORDING_MS = 3 * 60 * 1000;
/** What the server accepts (features/practice/audio-files.server.ts reads these containers), in order of preference. */
const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"];

/**
 * Records a spoken reply in the browser (at most three minutes) and uploads it; the form then
 * carries only the recording's id. Without JavaScript, a microphone, or a browser that records
 * Opus in WebM or Ogg (older Safari writes only MP4) it shows nothing: the written reply is enough.
 */
export function Recorder({ name }: { name: string }) {
  const hydrated = useHydrated();
  const [state, setState] = useState<"idle" | "recording" | "uploading" | "done" | "error">("idle");
  const [message, setMessage] = useState("");
  const [recordingId, setRecordingId] = useState("");
  const [url, setUrl] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);
  if (
    !hydrated ||
    typeof MediaRecorder === "undefined" ||
    !navigator.mediaDevices ||
    !RECORDING_TYPES.some((t) => MediaRecorder.isTypeSupported(t))
  )
    return null;

  async function start() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const mimeType = RECORDING_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
      const rec = new MediaRecorder(stream, { mimeType });
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => chunks.push(e.data);
      rec.onstop = async () => {
        stream.getTracks().forEach((t) => t.stop());
        const blob = new Blob(chunks, { type: rec.mimeType.split(";")[0] });
        setUrl(URL.createObjectURL(blob));
        setState("uploading");
        const response = await fetch("/practice/recordings", {
          method: "POST",
          body: blob,
          // The server reads the length from the file itself.
          headers: { "Content-Type": blob.type },
        });
        const body = (await response.json().catch(() => ({}))) as { id?: string; error?: string };
        if (response.ok && body.id) {
          setRecordingId(body.id);
          setState("done");
          setMessage("Recording attached.");
        } else {
          setState("error");
          setMessage(body.error ?? "The recording could not be saved. Try again, or write your reply.");
        }
      };
      recorder.current = rec;
      rec.start();
      setState("recording");
      setMessage("Recording… (3 minutes at most)");
      timer.current = setTimeout(() => rec.state === "recording" && rec.stop(), MAX_RECORDING_MS);
    } catch {
      setState("error");
      setMessage("No microphone available. Write your reply instead.");
    }
  }

  function stop() {
    clearTimeout(timer.current);
    recorder.current?.stop();
  }

  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      <input type="hidden" name={name} value={recordingId} />
      {state === "recording" ? (
        <button type="button" className="btn-danger text-sm" onClick={stop}>
          Stop recording
        </button>
      ) : (
        <button
          type="button"
          className="btn-secondary text-sm"
          onClick={() => void start()}
          disabled={state === "uploading"}
        >
          {state === "done" ? "Record again" : "Record your reply"}
        </button>
      )}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption -- plays back the rep's own recording just made; no caption text exists for it */}
      {url ? <audio controls src={url} className="h-8" /> : null}
      <span role="status" className={state === "error" ? "text-red-800" : "text-slate-600"}>
        {message}
      </span>
    </div>
  );
}
