import { Form, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/settings";
import { requireUser } from "~/features/auth/require-user.server";
import { handleForm, succeeded } from "~/features/forms";
import { organizationSettings, updateOrganizationSettings } from "~/features/people/organizations.server";
import { timeZoneChoices, TIME_ZONE_ERROR } from "~/shared/time-zones";
import { Field, ResultMessage } from "~/ui/form";
import { TimeZoneSelect } from "~/ui/time-zone-select";

export const meta: Route.MetaFunction = () => [{ title: "Settings · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const settings = await organizationSettings(db(), admin.orgId);
  return { settings, zones: timeZoneChoices(settings.timezone) };
}

/** The form's rules; the zone is one on the list, or the one already saved (see timeZoneChoices). */
const settingsSchema = (savedZone: string) =>
  z.object({
    name: z.string().trim().min(1, { error: "Name your organization." }).max(100),
    timezone: z
      .string({ error: TIME_ZONE_ERROR })
      .refine((zone) => timeZoneChoices(savedZone).includes(zone), { error: TIME_ZONE_ERROR }),
    desiredRetention: z.coerce
      .number({ error: "Enter a number from 0.80 to 0.95." })
      .min(0.8, { error: "Use at least 0.80: lower means reps forget too much between boosts." })
      .max(0.95, { error: "Use at most 0.95: higher means many more reviews for little gain." }),
    boostSize: z.coerce
      .number({ error: "Enter a whole number from 1 to 10." })
      .int({ error: "Enter a whole number from 1 to 10." })
      .min(1, { error: "Enter a whole number from 1 to 10." })
      .max(10, { error: "Enter a whole number from 1 to 10." }),
    digestHour: z.coerce
      .number({ error: "Enter an hour from 0 to 23." })
      .int({ error: "Enter an hour from 0 to 23." })
      .min(0, { error: "Enter an hour from 0 to 23." })
      .max(23, { error: "Enter an hour from 0 to 23." }),
  });

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const saved = await organizationSettings(db(), admin.orgId);
  return handleForm(args.request, settingsSchema(saved.timezone), async (settings) => {
    await updateOrganizationSettings(db(), admin.orgId, settings, new Date());
    return succeeded("Settings saved.");
  });
}

export default function Settings() {
  const { settings, zones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <Form method="post" className="card flex max-w-xl flex-col gap-4" noValidate>
        <ResultMessage result={result} />
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
          label="Questions per daily boost"
          name="boostSize"
          type="number"
          min="1"
          max="10"
          defaultValue={settings.boostSize}
          error={result?.fieldErrors.boostSize}
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
    </div>
  );
}
