// Flywheel's push notifications in the service worker (decision 036): show what the server sent,
// and open its page when the notification is tapped. The app's service worker takes these
// handlers in with importScripts("/push-handlers.js"); on its own this file is also a complete,
// minimal service worker (used when the app's is not registered).
/* eslint-env serviceworker */

/** Only a path of this site may be opened: a payload never sends the rep elsewhere. */
function flywheelTarget(url) {
  try {
    const target = new URL(url || "/today", self.location.origin);
    return target.origin === self.location.origin ? target.href : new URL("/today", self.location.origin).href;
  } catch {
    return new URL("/today", self.location.origin).href;
  }
}

function flywheelShowPush(data) {
  let message = {};
  try {
    message = data ? data.json() : {};
  } catch {
    message = {};
  }
  const title = typeof message.title === "string" && message.title ? message.title : "Flywheel";
  return self.registration.showNotification(title, {
    body: typeof message.body === "string" ? message.body : "",
    // One notification of a kind at a time: a newer one replaces it.
    tag: typeof message.tag === "string" ? message.tag : "flywheel",
    icon: "/favicon.svg",
    data: { url: flywheelTarget(message.url) },
  });
}

/** Brings a Flywheel window to the notification's page, or opens one. */
async function flywheelOpen(notification) {
  const url = flywheelTarget(notification.data && notification.data.url);
  notification.close();
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin || !("navigate" in client)) continue;
    try {
      const navigated = await client.navigate(url);
      await (navigated || client).focus().catch(() => undefined);
      return;
    } catch {
      // Not this worker's page (navigate needs one it controls): try the next, or open a window.
    }
  }
  await self.clients.openWindow(url);
}

self.addEventListener("push", (event) => event.waitUntil(flywheelShowPush(event.data)));
self.addEventListener("notificationclick", (event) => event.waitUntil(flywheelOpen(event.notification)));
