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
  digestEnabled,
  endVacation,
  MAX_VACATION_DAYS,
  setDigestEnabled,
  startVacation,
} from "~/features/reinforcement/reminders.server";
import { answerLinksEnabled, setAnswerLinksEnabled } from "~/features/reinforcement/answer-links.server";
import { organizationSettings } from "~/features/people/organizations.server";
import { Field, ResultMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { AccountTabs } from "~/ui/section-tabs";

export const meta: Route.MetaFunction = () => [{ title: "Reminders · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const now = new Date();
  const settings = await organizationSettings(db(), user.orgId);
  return {
    digest: await digestEnabled(db(), user.id),
    answerLinks: await answerLinksEnabled(db(), user),
    vacation: (await currentVacation(db(), user, now)) ?? null,
    today: dayIn(user.timezone, now),
    digestHour: settings.digestHour,
    timezone: user.timezone,
    maxDays: MAX_VACATION_DAYS,
  };
}

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
  const { digest, answerLinks, vacation, today, digestHour, timezone, maxDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title="Reminders" />
      <AccountTabs />
      <ResultMessage result={result} />
      <SettingSwitch intent="digest" name="digest" on={digest} label="Daily digest e-mail">
        Around {hourLabel(digestHour)} ({timezone}), only on days when questions are due.
      </SettingSwitch>
      <SettingSwitch intent="answer-links" name="answerLinks" on={answerLinks} label="Answer from the e-mail">
        The digest shows your boost's first question; tap an answer and submit it without signing in. Each link works
        once, until the end of the day. Turning this off also stops the links already sent.
      </SettingSwitch>
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
