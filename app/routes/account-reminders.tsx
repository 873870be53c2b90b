import { Form, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/account-reminders";
import { dayIn } from "~/shared/days";
import { requireUser } from "~/features/auth/require-user.server";
import { dayLabel, hourLabel } from "~/shared/date-formats";
import { handleForm, succeeded } from "~/features/forms";
import {
  currentVacation,
  endVacation,
  MAX_VACATION_DAYS,
  setDigestEnabled,
  startVacation,
} from "~/features/reinforcement/reminders.server";
import { answerLinksEnabled, setAnswerLinksEnabled } from "~/features/reinforcement/answer-links.server";
import { organizationSettings } from "~/features/people/organizations.server";
import { reminderChannels, setReminderChannels, type ReminderChannels } from "~/features/push/preferences.server";
import { sendTestPush } from "~/features/push/queue.server";
import { devicesOf, removeDevice, subscribeDevice } from "~/features/push/subscriptions.server";
import { TurnOnPush } from "~/features/push/turn-on-push";
import { vapidKeys } from "~/features/push/vapid.server";
import { Field, ResultMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { AccountTabs } from "~/ui/section-tabs";

export const meta: Route.MetaFunction = () => [{ title: "Reminders · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const now = new Date();
  const settings = await organizationSettings(db(), user.orgId);
  return {
    channels: await reminderChannels(db(), user.id),
    devices: await devicesOf(db(), user),
    publicKey: (await vapidKeys(db())).publicKey,
    answerLinks: await answerLinksEnabled(db(), user),
    vacation: (await currentVacation(db(), user, now)) ?? null,
    today: dayIn(user.timezone, now),
    digestHour: settings.digestHour,
    timezone: user.timezone,
    maxDays: MAX_VACATION_DAYS,
  };
}

/** A checkbox: sent as "on" when ticked, absent when not. */
const checkbox = z
  .enum(["on"])
  .optional()
  .transform((v) => v === "on");

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("digest"), digest: z.enum(["on", "off"]).default("off") }),
    z.object({ intent: z.literal("answer-links"), answerLinks: z.enum(["on", "off"]).default("off") }),
    z.object({
      intent: z.literal("vacation"),
      until: z
        .string({ error: "Pick the date you are back." })
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Pick the date you are back." }),
    }),
    z.object({ intent: z.literal("end-vacation") }),
    z.object({
      intent: z.literal("channels"),
      digest: checkbox,
      digestWithPush: checkbox,
      pushBoost: checkbox,
      pushAssignments: checkbox,
      pushReviews: checkbox,
      reviewMail: checkbox,
    }),
    z.object({
      intent: z.literal("subscribe"),
      endpoint: z
        .string({ error: "The browser gave no push address." })
        .min(1, { error: "The browser gave no push address." }),
      p256dh: z.string({ error: "The browser gave no push key." }),
      auth: z.string({ error: "The browser gave no push secret." }),
      label: z.string().default(""),
    }),
    z.object({ intent: z.literal("remove-device"), device: z.string({ error: "Pick a device to remove." }).max(64) }),
    z.object({ intent: z.literal("test-push") }),
  ],
  { error: "That is not something this page can do." },
);

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  return handleForm(
    args.request,
    schema,
    async (input) => {
      const now = new Date();
      if (input.intent === "digest") {
        await setDigestEnabled(db(), user, input.digest === "on");
        return succeeded(
          input.digest === "on"
            ? "You'll get the daily digest when something is due."
            : "No more digests. Your boosts still wait for you on Today.",
        );
      }
      if (input.intent === "answer-links") {
        await setAnswerLinksEnabled(db(), user, input.answerLinks === "on", now);
        return succeeded(
          input.answerLinks === "on"
            ? "The digest will carry its first question's answers as links."
            : "No more answer links in the digest, and those already sent no longer work.",
        );
      }
      if (input.intent === "channels") {
        const { intent: _intent, ...channels } = input;
        await setReminderChannels(db(), user, channels satisfies ReminderChannels);
        return succeeded("Saved. Your reminders come the way you chose.");
      }
      if (input.intent === "subscribe") {
        await subscribeDevice(db(), user, input);
        return succeeded("Notifications are on for this device.");
      }
      if (input.intent === "remove-device") {
        await removeDevice(db(), user, input.device);
        return succeeded("That device gets no more notifications.");
      }
      if (input.intent === "test-push") {
        const { devices, sent, failed } = await sendTestPush(db(), user, now);
        if (sent === devices)
          return succeeded(`Test notification sent to ${devices === 1 ? "your device" : `${devices} devices`}.`);
        return succeeded(
          `Sent to ${sent} of ${devices} devices. ${failed.map((f) => f[0]!.toUpperCase() + f.slice(1)).join(". ")}.`,
        );
      }
      if (input.intent === "end-vacation") {
        await endVacation(db(), user, now);
        return succeeded("Welcome back. Your boosts start again today.");
      }
      await startVacation(db(), user, input.until, now);
      return succeeded(
        `Hold set until you're back on ${dayLabel(input.until, dayIn(user.timezone, now))}. Your streak is safe.`,
      );
    },
    { oneMessage: true },
  );
}

export default function Reminders() {
  const { channels, devices, publicKey, answerLinks, vacation, today, digestHour, timezone, maxDays } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title="Reminders" />
      <AccountTabs />
      <ResultMessage result={result} />
      <ChannelsForm channels={channels} digestHour={digestHour} timezone={timezone} />
      <SettingSwitch intent="answer-links" name="answerLinks" on={answerLinks} label="Answer from the e-mail">
        The digest shows your boost's first question; tap an answer and submit it without signing in. Each link works
        once, until the end of the day. Turning this off also stops the links already sent.
      </SettingSwitch>
      <section className="card mt-4" aria-labelledby="devices-heading">
        <h2 id="devices-heading" className="text-lg font-semibold">
          Notifications on your devices
        </h2>
        <p className="text-sm text-slate-700">
          Push reaches the phones and computers you turn on here, for the kinds ticked above. They carry a reminder and
          a link, never your answers or scores.
        </p>
        {devices.length > 0 ? (
          <ul className="mt-3 divide-y divide-slate-200" aria-label="Devices with notifications">
            {devices.map((d) => (
              <li key={d.id} className="flex items-center justify-between gap-3 py-2">
                <span>{d.label}</span>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-device" />
                  <input type="hidden" name="device" value={d.id} />
                  <button type="submit" className="btn-secondary" aria-label={`Remove ${d.label}`}>
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-3 text-sm text-slate-700">No devices yet: reminders come by e-mail.</p>
        )}
        <TurnOnPush publicKey={publicKey} />
        {devices.length > 0 && (
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="test-push" />
            <button type="submit" className="btn-secondary">
              Send a test notification
            </button>
          </Form>
        )}
      </section>
      <section className="card mt-4" aria-labelledby="vacation-heading">
        <h2 id="vacation-heading" className="text-lg font-semibold">
          Vacation hold
        </h2>
        {vacation ? (
          <Form method="post" className="mt-2">
            <p>
              On hold until you're back on <strong>{dayLabel(vacation.endDay, today)}</strong>. No boosts or digests
              until then, and your streak waits for you.
            </p>
            <input type="hidden" name="intent" value="end-vacation" />
            <button type="submit" className="btn-secondary mt-3">
              I'm back early
            </button>
          </Form>
        ) : (
          <Form method="post" className="mt-2 flex flex-col gap-3">
            <p className="text-slate-700">
              Away for a while? Pause boosts and digests; your questions keep their schedule for when you return (up to{" "}
              {maxDays} days).
            </p>
            <input type="hidden" name="intent" value="vacation" />
            <Field label="I'm back on" name="until" type="date" min={today} required />
            <button type="submit" className="btn self-start">
              Pause my boosts
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}

/** One setting that is on or off, saved by its own form (it works without JavaScript). */
function SettingSwitch({
  intent,
  name,
  on,
  label,
  children,
}: {
  intent: string;
  name: string;
  on: boolean;
  label: string;
  children: React.ReactNode;
}) {
  return (
    <Form method="post" className="card mt-4">
      <input type="hidden" name="intent" value={intent} />
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          name={name}
          value="on"
          defaultChecked={on}
          key={String(on)}
          className="mt-1 size-4 accent-brand-600"
        />
        <span>
          <span className="font-medium">{label}</span>
          <span className="block text-sm text-slate-600">{children}</span>
        </span>
      </label>
      <button type="submit" className="btn mt-3">
        Save
      </button>
    </Form>
  );
}

const KINDS = [
  { kind: "Daily boost", email: "digest", push: "pushBoost" },
  { kind: "Assignment due tomorrow", email: null, push: "pushAssignments" },
  { kind: "Role-play reviewed", email: "reviewMail", push: "pushReviews" },
] as const;

/** Every reminder by every channel, in one form that works without JavaScript. */
function ChannelsForm({
  channels,
  digestHour,
  timezone,
}: {
  channels: ReminderChannels;
  digestHour: number;
  timezone: string;
}) {
  const box = (name: keyof ReminderChannels, label: string) => (
    <input
      type="checkbox"
      name={name}
      value="on"
      defaultChecked={channels[name]}
      key={`${name}-${channels[name]}`}
      aria-label={label}
      className="size-4 accent-brand-600"
    />
  );
  return (
    <Form method="post" className="card mt-4">
      <input type="hidden" name="intent" value="channels" />
      <h2 className="text-lg font-semibold">What reaches you, and how</h2>
      <p className="text-sm text-slate-700">
        The digest goes around {hourLabel(digestHour)} ({timezone}), only on days when something is due.
      </p>
      <table className="mt-3 w-full text-left">
        <thead>
          <tr>
            <th scope="col" className="py-1 font-medium">
              Reminder
            </th>
            <th scope="col" className="py-1 text-center font-medium">
              E-mail
            </th>
            <th scope="col" className="py-1 text-center font-medium">
              Push
            </th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((k) => (
            <tr key={k.kind} className="border-t border-slate-200">
              <th scope="row" className="py-2 font-normal">
                {k.kind}
              </th>
              <td className="py-2 text-center">
                {k.email ? (
                  box(k.email, `${k.kind} by e-mail`)
                ) : (
                  <span className="text-sm text-slate-600">in the digest</span>
                )}
              </td>
              <td className="py-2 text-center">{box(k.push, `${k.kind} by push`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="mt-3 flex items-start gap-3">
        <input
          type="checkbox"
          name="digestWithPush"
          value="on"
          defaultChecked={channels.digestWithPush}
          key={`digestWithPush-${channels.digestWithPush}`}
          className="mt-1 size-4 accent-brand-600"
        />
        <span className="text-sm">
          Send the digest e-mail too on days the boost reminder comes by push (otherwise push replaces it).
        </span>
      </label>
      <button type="submit" className="btn mt-3">
        Save
      </button>
    </Form>
  );
}
