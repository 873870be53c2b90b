// Issue 18, "Push reminders", in Chromium (decision 036): the service worker's push handler shows
// a notification for a message delivered through the DevTools protocol (as a push service would),
// and its click handler opens the notification's page; the subscribe flow runs up to the browser's
// subscribe call, which fails here (no push service is reachable) and says so; the channel
// preferences save without JavaScript.
import { eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { pushSubscriptions, reminderPreferences, serverKeys } from "../../app/db/schema";
import { expect, newOrganization, signInAs, test } from "./fixtures";

// The app's service worker runs here (the suite blocks it elsewhere: playwright.config.ts).
test.use({ serviceWorkers: "allow" });

type Shown = { title: string; body: string; tag: string; url: string };

test("a pushed reminder shows a notification, and tapping it opens its page; subscribing without a push service says so", async ({
  browser,
  baseURL,
}) => {
  const org = await newOrganization();
  const rep = await org.person(["rep"], "Priya Nair");
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  await context.grantPermissions(["notifications"], { origin: baseURL! });
  // Record what the page asks of the browser's push manager (the browser's API, not our code).
  await context.addInitScript(() => {
    const original = PushManager.prototype.subscribe;
    PushManager.prototype.subscribe = function (options) {
      const key = options?.applicationServerKey;
      (window as unknown as { subscribeCalls: unknown[] }).subscribeCalls = [
        ...((window as unknown as { subscribeCalls?: unknown[] }).subscribeCalls ?? []),
        { userVisibleOnly: options?.userVisibleOnly, applicationServerKey: typeof key === "string" ? key : null },
      ];
      return original.call(this, options);
    };
  });
  const page = await context.newPage();
  await signInAs(page, rep);
  await page.goto("/account/reminders");
  await expect(page.getByText("No devices yet: reminders come by e-mail.")).toBeVisible();

  // Subscribing: the browser is asked with the server's VAPID key, cannot reach a push service, and the page says so.
  await page.getByRole("button", { name: "Turn on notifications on this device" }).click();
  await expect(page.getByRole("status").filter({ hasText: "could not reach its push service" })).toBeVisible({
    timeout: 30_000,
  });
  const [vapid] = await db().select().from(serverKeys).where(eq(serverKeys.name, "vapid"));
  expect(await page.evaluate(() => (window as unknown as { subscribeCalls: unknown[] }).subscribeCalls)).toEqual([
    { userVisibleOnly: true, applicationServerKey: vapid!.publicKey },
  ]);
  expect(await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, rep.id))).toEqual([]);

  // The service worker the page registered now controls it after a reload.
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const worker = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js"));
  expect(worker, "the push service worker is running").toBeTruthy();

  // A push message, delivered to the service worker as a push service would.
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const found = registrations.find((r) => r.scopeURL === `${baseURL}/` && !r.isDeleted);
      if (found) resolve(found.registrationId);
    }),
  );
  await cdp.send("ServiceWorker.enable");
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n): Shown => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        url: (n.data as { url: string }).url,
      })),
    );
  // The protocol now and then loses a message (seen on the code before this test's last change
  // too): a message not shown within a few seconds is delivered again. A worker that shows
  // nothing still fails, and a notification of the same tag replaces the one before it.
  const deliver = (payload: Record<string, string>) =>
    expect(async () => {
      await cdp.send("ServiceWorker.deliverPushMessage", {
        origin: baseURL!,
        registrationId: await registrationId,
        data: JSON.stringify(payload),
      });
      await expect.poll(shown, { timeout: 3_000 }).not.toEqual([]);
    }).toPass({ timeout: 30_000 });
  await deliver({ title: "Your boost is ready", body: "4 questions are due today.", url: "/boost", tag: "boost" });
  await expect
    .poll(shown)
    .toEqual([
      { title: "Your boost is ready", body: "4 questions are due today.", tag: "boost", url: `${baseURL}/boost` },
    ]);

  // The tap: no protocol can tap a notification, so the worker's own `notificationclick` listener
  // is handed the shown notification in an event of that name (a trusted event's waitUntil
  // cannot be faked, so the event carries its own and the test waits for what it was given).
  await worker!.evaluate(async () => {
    const scope = self as unknown as EventTarget & { registration: ServiceWorkerRegistration };
    const [notification] = await scope.registration.getNotifications();
    const work: Promise<unknown>[] = [];
    const click = Object.assign(new Event("notificationclick"), {
      notification,
      waitUntil: (promise: Promise<unknown>) => work.push(promise),
    });
    scope.dispatchEvent(click);
    if (work.length !== 1) throw new Error(`the click listener gave ${work.length} promises`);
    await Promise.all(work);
  });
  await expect(page).toHaveURL(/\/boost$/);
  await expect.poll(shown).toEqual([]);

  // A payload naming another site opens Flywheel's Today instead.
  await deliver({ title: "Elsewhere", body: "", url: "https://evil.example/phish" });
  await expect.poll(async () => (await shown()).map((n) => n.url)).toEqual([`${baseURL}/today`]);
  await context.close();
});

test("every reminder's channels are saved from one form without JavaScript", async ({ browser }) => {
  const org = await newOrganization();
  const rep = await org.person(["rep"], "Tomás Ortega");
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, rep);
  await page.goto("/account/reminders");
  // The defaults: e-mail on, push ticked for every kind but reaching no device until one is turned on.
  await expect(page.getByRole("checkbox", { name: "Daily boost by e-mail" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Daily boost by push" })).toBeChecked();
  await expect(page.getByText("Turning on notifications needs JavaScript in this browser.")).toBeAttached();
  await page.getByRole("checkbox", { name: "Daily boost by e-mail" }).uncheck();
  await page.getByRole("checkbox", { name: "Role-play reviewed by push" }).uncheck();
  await page.getByRole("checkbox", { name: /Send the digest e-mail too/ }).check();
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByText("Saved. Your reminders come the way you chose.")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Daily boost by e-mail" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Role-play reviewed by push" })).not.toBeChecked();
  const [saved] = await db().select().from(reminderPreferences).where(eq(reminderPreferences.userId, rep.id));
  expect(saved).toMatchObject({
    digest: false,
    digestWithPush: true,
    pushBoost: true,
    pushAssignments: true,
    pushReviews: false,
    reviewMail: true,
  });
  await context.close();
});

test("this phone's push subscription ends when the rep signs out, or when another person's pages are first kept", async ({
  page,
  context,
}) => {
  const org = await newOrganization();
  const first = await org.person(["rep"], "Ana Costa");
  const second = await org.person(["rep"], "Bo Lindqvist");
  await signInAs(page, first);
  await page.goto("/today");
  await expect(page.locator("html[data-offline=kept]")).toBeAttached({ timeout: 30_000 });
  const worker = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js"))!;
  // This browser cannot subscribe (no push service is reachable): the worker's push manager is
  // handed a subscription that counts the calls to end it (the browser's API, not our code), and
  // the server holds it as the first rep's device.
  const endpoint = `https://push.example.test/send/${crypto.randomUUID()}`;
  await worker.evaluate((endpoint) => {
    const scope = self as unknown as { unsubscribed: number; registration: ServiceWorkerRegistration };
    scope.unsubscribed = 0;
    const subscription = { endpoint, unsubscribe: async () => (scope.unsubscribed++, true) };
    Object.defineProperty(scope.registration.pushManager, "getSubscription", { value: async () => subscription });
  }, endpoint);
  const device = (owner: { id: string; orgId: string }) =>
    db().insert(pushSubscriptions).values({
      id: crypto.randomUUID(),
      orgId: owner.orgId,
      userId: owner.id,
      endpoint,
      p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
      auth: "tBHItJI5svbpez7KI4CCXg",
      label: "Phone",
    });
  const devicesLeft = async () =>
    (await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint))).length;
  await device(first);
  const unsubscribed = () => worker.evaluate(() => (self as unknown as { unsubscribed: number }).unsubscribed);

  // The session ends without a sign-out (it expired): the sign-in page deletes the rep's pages
  // but keeps their reminders coming.
  await context.clearCookies();
  await page.goto("/today");
  await expect(page).toHaveURL(/\/login/);
  await expect
    .poll(() => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith("flywheel-pages-"))))
    .toEqual([]);
  expect(await unsubscribed()).toBe(0);

  // Someone else signs in on this phone: the first rep's subscription ends with their first kept pages.
  await signInAs(page, second);
  await page.goto("/today");
  await expect(page.locator("html[data-offline=kept]")).toBeAttached({ timeout: 30_000 });
  await expect.poll(unsubscribed).toBe(1);
  // The server is told: the next reminder goes by e-mail instead of to a dead address.
  await expect.poll(devicesLeft).toBe(0);
  // The same person again ends nothing.
  await page.reload();
  await expect(page.locator("html[data-offline=kept]")).toBeAttached({ timeout: 30_000 });
  expect(await unsubscribed()).toBe(1);

  // Signing out ends it at once, and the server forgets it.
  await device(second);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect.poll(unsubscribed).toBe(2);
  await expect.poll(devicesLeft).toBe(0);
});
