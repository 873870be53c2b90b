// The button that subscribes this device to push (it needs JavaScript: the browser's push
// subscription exists only in script). It asks for permission, subscribes through the service
// worker with the server's VAPID public key and posts the subscription to the page's action.
import { useState, useSyncExternalStore } from "react";
import { useFetcher } from "react-router";
import type { ActionResult } from "~/shared/action-result";

/**
 * The app's service worker (public/sw.js), which takes in the push handlers
 * (public/push-handlers.js). Registered here when the page has not registered it yet.
 */
export const PUSH_WORKER_URL = "/sw.js";

type Step = { tone: "info" | "error"; text: string } | null;

/** A short name for this browser and system, for the rep's list of devices. */
function deviceLabel(agent: string): string {
  const browser = /Edg\//.test(agent)
    ? "Edge"
    : /Firefox\//.test(agent)
      ? "Firefox"
      : /Chrome\/|Chromium\//.test(agent)
        ? "Chrome"
        : /Safari\//.test(agent)
          ? "Safari"
          : "Browser";
  const system = /Android/.test(agent)
    ? "Android"
    : /iPhone|iPad/.test(agent)
      ? "iOS"
      : /Mac OS X/.test(agent)
        ? "macOS"
        : /Windows/.test(agent)
          ? "Windows"
          : /Linux/.test(agent)
            ? "Linux"
            : "";
  return system ? `${browser} on ${system}` : browser;
}

/** A push service that never answers must not leave the button waiting forever. */
function withTimeout<T>(work: Promise<T>, ms = 20_000): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the push service did not answer")), ms)),
  ]);
}

async function subscribeThisDevice(publicKey: string): Promise<PushSubscriptionJSON> {
  const registration =
    (await navigator.serviceWorker.getRegistration()) ?? (await navigator.serviceWorker.register(PUSH_WORKER_URL));
  await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await withTimeout(registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey })));
  return subscription.toJSON();
}

const unchanging = () => () => undefined;
const pushSupported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

export function TurnOnPush({ publicKey }: { publicKey: string }) {
  const fetcher = useFetcher<ActionResult>();
  // Unknown (null) on the server and in the first render; the browser's answer after hydration.
  const supported = useSyncExternalStore(unchanging, pushSupported, () => null);
  const [step, setStep] = useState<Step>(null);

  async function turnOn() {
    setStep({ tone: "info", text: "Asking your browser…" });
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      setStep({
        tone: "error",
        text: "Notifications are blocked for Flywheel in this browser. Allow them in the site settings, then try again.",
      });
      return;
    }
    let json: PushSubscriptionJSON;
    try {
      json = await subscribeThisDevice(publicKey);
    } catch {
      setStep({
        tone: "error",
        text: "Your browser could not reach its push service, so notifications are not on for this device. Check your connection and try again later; e-mail reminders still come.",
      });
      return;
    }
    setStep(null);
    await fetcher.submit(
      {
        intent: "subscribe",
        endpoint: json.endpoint ?? "",
        p256dh: json.keys?.p256dh ?? "",
        auth: json.keys?.auth ?? "",
        label: deviceLabel(navigator.userAgent),
      },
      { method: "post" },
    );
  }

  const result = fetcher.data;
  const shown: Step =
    step ??
    (result?.formError
      ? { tone: "error", text: result.formError }
      : result?.message
        ? { tone: "info", text: result.message }
        : null);
  return (
    <div className="mt-3">
      {supported === null ? (
        // Before the page's script runs, and for good without it.
        <p className="text-sm text-slate-700">Turning on notifications needs JavaScript in this browser.</p>
      ) : supported ? (
        <button type="button" className="btn" disabled={fetcher.state !== "idle"} onClick={() => void turnOn()}>
          Turn on notifications on this device
        </button>
      ) : (
        <p className="text-sm text-slate-700">
          This browser cannot receive notifications. On an iPhone, add Flywheel to your Home Screen first and open it
          from there.
        </p>
      )}
      <p
        role="status"
        className={shown?.tone === "error" ? "mt-2 text-sm text-red-700" : "mt-2 text-sm text-slate-700"}
      >
        {shown?.text}
      </p>
    </div>
  );
}
