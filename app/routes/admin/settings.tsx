import { Form, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/settings";
import { requireUser } from "~/features/auth/require-user.server";
import { failed, handleForm, succeeded } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { onAdminPage } from "~/features/audit/audit.server";
import { organizationSettings, updateOrganizationSettings } from "~/features/people/organizations.server";
import {
  BOOST_MINUTES_MAX,
  BOOST_MINUTES_MIN,
  DEFAULT_SECONDS_PER_QUESTION,
  MIN_TIMED_ANSWERS,
} from "~/features/reinforcement/boost-size";
import { MIN_TRAINING_REPS, MIN_TRAINING_REVIEWS } from "~/features/reinforcement/training-rules";
import {
  recentTrainings,
  requestTraining,
  startTraining,
  trainingInForce,
} from "~/features/reinforcement/training.server";
import { timeZoneChoices, TIME_ZONE_ERROR } from "~/shared/time-zones";
import type { ActionResult } from "~/shared/action-result";
import { Field, ResultMessage } from "~/ui/form";
import { TimeZoneSelect } from "~/ui/time-zone-select";

export const meta: Route.MetaFunction = () => [{ title: "Settings · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const [settings, trainings, inForce] = await Promise.all([
    organizationSettings(db(), admin.orgId),
    recentTrainings(db(), admin.orgId),
    trainingInForce(db(), admin.orgId),
  ]);
  // The weights themselves stay on the server: the page shows where they came from.
  const { parameters, ...editable } = settings;
  return {
    settings: editable,
    zones: timeZoneChoices(settings.timezone),
    trainings: trainings.map(trainingRow),
    inForce: inForce && parameters ? { at: inForce.finishedAt, reviews: inForce.reviews, reps: inForce.reps } : null,
    underWay: trainings.some((t) => t.status === "queued" || t.status === "running"),
    timezone: admin.timezone,
  };
}

/** What the page shows of one training: no weights, only when, who, what it measured and why. */
function trainingRow(t: Awaited<ReturnType<typeof recentTrainings>>[number]) {
  return {
    id: t.id,
    requestedAt: t.requestedAt,
    by: t.requestedByName ?? "Weekly run",
    status: t.status,
    reviews: t.reviews,
    reps: t.reps,
    current: t.currentLogLoss === null ? null : { logLoss: t.currentLogLoss, rmse: t.currentRmse ?? 0 },
    trained: t.trainedLogLoss === null ? null : { logLoss: t.trainedLogLoss, rmse: t.trainedRmse ?? 0 },
    reason: t.reason,
    cardsRescheduled: t.cardsRescheduled,
  };
}

const MINUTES_ERROR = `Enter a whole number of minutes from ${BOOST_MINUTES_MIN} to ${BOOST_MINUTES_MAX}.`;

/** The form's rules; the zone is one on the list, or the one already saved (see timeZoneChoices). */
const settingsSchema = (savedZone: string) =>
  z.object({
    intent: z.literal("save"),
    name: z.string().trim().min(1, { error: "Name your organization." }).max(100),
    timezone: z
      .string({ error: TIME_ZONE_ERROR })
      .refine((zone) => timeZoneChoices(savedZone).includes(zone), { error: TIME_ZONE_ERROR }),
    desiredRetention: z.coerce
      .number({ error: "Enter a number from 0.80 to 0.95." })
      .min(0.8, { error: "Use at least 0.80: lower means reps forget too much between boosts." })
      .max(0.95, { error: "Use at most 0.95: higher means many more reviews for little gain." }),
    boostMinutes: z.coerce
      .number({ error: MINUTES_ERROR })
      .int({ error: MINUTES_ERROR })
      .min(BOOST_MINUTES_MIN, { error: MINUTES_ERROR })
      .max(BOOST_MINUTES_MAX, { error: MINUTES_ERROR }),
    digestHour: z.coerce
      .number({ error: "Enter an hour from 0 to 23." })
      .int({ error: "Enter an hour from 0 to 23." })
      .min(0, { error: "Enter an hour from 0 to 23." })
      .max(23, { error: "Enter an hour from 0 to 23." }),
  });

/** The answer to a training request carries this detail, so the page shows it beside the button. */
const TRAINING = "training" as const;

/** Saving the settings (the form sends no intent) or asking for a training of the parameters. */
const actionSchema = (savedZone: string) =>
  z.preprocess(
    (raw) => ({ intent: "save", ...(raw as Record<string, unknown>) }),
    z.discriminatedUnion("intent", [settingsSchema(savedZone), z.object({ intent: z.literal("train") })], {
      error: "This page does not know that action. Reload it and try again.",
    }),
  );

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const saved = await organizationSettings(db(), admin.orgId);
  return handleForm(args.request, actionSchema(saved.timezone), async (input) => {
    if (input.intent === "train") {
      let id: string;
      try {
        id = await requestTraining(db(), admin, new Date());
      } catch (error) {
        if (error instanceof Refusal) return failed(error.message, error.status, { detail: TRAINING });
        throw error;
      }
      // Off the request: the reviews are read in slices and the optimizer runs in a worker thread.
      startTraining(db(), id, () => new Date());
      return succeeded(
        "Training started. It usually takes under a minute: reload this page to see its result.",
        TRAINING,
      );
    }
    await updateOrganizationSettings(db(), admin.orgId, input, new Date(), onAdminPage(admin));
    return succeeded("Settings saved.");
  });
}

export default function Settings() {
  const { settings, zones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="flex flex-col gap-6">
      <Form method="post" className="card flex max-w-xl flex-col gap-4" noValidate>
        {result?.detail !== TRAINING ? <ResultMessage result={result} /> : null}
        <Field label="Organization name" name="name" defaultValue={settings.name} error={result?.fieldErrors.name} />
        <TimeZoneSelect
          zones={zones}
          defaultValue={settings.timezone}
          hint="Streaks, daily boosts and digests follow this zone."
          error={result?.fieldErrors.timezone}
        />
        <Field
          label="Desired retention"
          name="desiredRetention"
          type="number"
          step="0.01"
          min="0.8"
          max="0.95"
          defaultValue={settings.desiredRetention}
          hint="The chance a rep still remembers an answer when it comes back (0.80–0.95). Higher means more frequent reviews."
          error={result?.fieldErrors.desiredRetention}
        />
        <Field
          label="Minutes per daily boost"
          name="boostMinutes"
          type="number"
          min={String(BOOST_MINUTES_MIN)}
          max={String(BOOST_MINUTES_MAX)}
          defaultValue={settings.boostMinutes}
          hint={`A boost takes every due question that fits in these minutes at the rep's own pace (${DEFAULT_SECONDS_PER_QUESTION} seconds a question until they have answered ${MIN_TIMED_ANSWERS}); the rest waits for the next days, least remembered first.`}
          error={result?.fieldErrors.boostMinutes}
        />
        <Field
          label="Digest hour (local)"
          name="digestHour"
          type="number"
          min="0"
          max="23"
          defaultValue={settings.digestHour}
          hint="The daily digest goes out from this hour, only to reps with something due."
          error={result?.fieldErrors.digestHour}
        />
        <button type="submit" className="btn self-start">
          Save settings
        </button>
      </Form>
      <ParameterTraining result={result?.detail === TRAINING ? result : undefined} />
    </div>
  );
}

const number = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));

const STATUS: Record<string, string> = {
  queued: "Waiting to start",
  running: "Running",
  kept: "Kept",
  discarded: "Discarded",
  skipped: "Not trained",
  failed: "Failed",
};

/** The organization's FSRS parameters: which are in force, the latest trainings, and a button to train now. */
function ParameterTraining({ result }: { result?: Pick<ActionResult, "formError" | "message"> }) {
  const { trainings, inForce, underWay, timezone } = useLoaderData<typeof loader>();
  const when = (at: Date | string | null) =>
    at ? new Date(at).toLocaleString("en-US", { timeZone: timezone, dateStyle: "medium", timeStyle: "short" }) : "—";
  return (
    <section className="card max-w-3xl" aria-labelledby="parameters-heading">
      <h2 id="parameters-heading" className="text-lg font-semibold">
        Reinforcement parameters
      </h2>
      <p className="mt-1 text-slate-700">
        {inForce
          ? `Your reps are scheduled with parameters trained on your organization's own reviews on ${when(inForce.at)} (${number(inForce.reviews)} reviews from ${number(inForce.reps)} reps).`
          : "Your reps are scheduled with FSRS's default parameters."}{" "}
        Every week, and when you ask, Flywheel trains parameters on your reviews once there are{" "}
        {MIN_TRAINING_REVIEWS.toLocaleString("en-US")} repeat reviews from {MIN_TRAINING_REPS} reps. It keeps them only
        if they predict your most recent reviews (the last fifth, held out) better than the ones in use: a lower log
        loss and an RMSE no higher. Cards are then rescheduled from their history.
      </p>
      {trainings.length > 0 ? (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Latest trainings</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Asked
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Outcome
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Reviews (reps)
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Log loss: in use → trained
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  RMSE (points): in use → trained
                </th>
              </tr>
            </thead>
            <tbody>
              {trainings.map((t) => (
                <tr key={t.id} className="border-t border-slate-100 align-top">
                  <td className="py-1.5 pr-3">
                    {when(t.requestedAt)}
                    <span className="block text-slate-600">{t.by}</span>
                  </td>
                  <td className="py-1.5 pr-3">
                    <strong>{STATUS[t.status]}</strong>
                    {t.reason ? <span className="block text-slate-700">{t.reason}</span> : null}
                    {t.cardsRescheduled !== null ? (
                      <span className="block text-slate-600">{number(t.cardsRescheduled)} cards rescheduled.</span>
                    ) : null}
                  </td>
                  <td className="py-1.5 pr-3">
                    {number(t.reviews)} ({number(t.reps)})
                  </td>
                  <td className="py-1.5 pr-3">
                    {t.current && t.trained ? `${t.current.logLoss.toFixed(3)} → ${t.trained.logLoss.toFixed(3)}` : "—"}
                  </td>
                  <td className="py-1.5 pr-3">
                    {t.current && t.trained
                      ? `${(t.current.rmse * 100).toFixed(1)} → ${(t.trained.rmse * 100).toFixed(1)}`
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form method="post" className="mt-4">
        <ResultMessage result={result} />
        <input type="hidden" name="intent" value="train" />
        <button type="submit" className="btn-secondary" disabled={underWay}>
          {underWay ? "Training under way…" : "Train on our reviews now"}
        </button>
        {underWay ? <p className="mt-1 text-sm text-slate-600">Reload this page to see its result.</p> : null}
      </Form>
    </section>
  );
}
