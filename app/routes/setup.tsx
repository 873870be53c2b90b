import { Form, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/setup";
import { nameField, passwordField } from "~/features/auth/schemas";
import { signedInRedirect } from "~/features/auth/sign-in.server";
import { emailField, handleForm } from "~/features/forms";
import {
  createOrganizationWithAdmin,
  organizationCount,
  SetupClosedError,
} from "~/features/people/organizations.server";
import { TIME_ZONES, TIME_ZONE_ERROR } from "~/shared/time-zones";
import { Field, FormMessage, NewPasswordField } from "~/ui/form";
import { TimeZoneSelect } from "~/ui/time-zone-select";

export const meta: Route.MetaFunction = () => [{ title: "Set up Flywheel" }];

const setupSchema = z.object({
  orgName: z.string({ error: "Name your organization." }).trim().min(1, { error: "Name your organization." }).max(100),
  timezone: z
    .string({ error: TIME_ZONE_ERROR })
    .refine((zone) => TIME_ZONES.includes(zone), { error: TIME_ZONE_ERROR }),
  name: nameField,
  email: emailField,
  password: passwordField,
});

/** Only while the installation has no organization: afterwards this page does not exist. */
async function requireEmptyInstallation() {
  if ((await organizationCount(db())) > 0) throw redirect("/login");
}

export async function loader() {
  await requireEmptyInstallation();
  return { zones: [...TIME_ZONES] };
}

export async function action({ request }: Route.ActionArgs) {
  await requireEmptyInstallation();
  return handleForm(request, setupSchema, async (setup) => {
    try {
      const { userId } = await createOrganizationWithAdmin(db(), setup);
      return await signedInRedirect(db(), request, userId, "/admin");
    } catch (error) {
      if (error instanceof SetupClosedError) throw redirect("/login");
      throw error;
    }
  });
}

export default function Setup() {
  const { zones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1 className="mb-1 text-2xl font-bold">Welcome to Flywheel</h1>
      <p className="mb-6 text-slate-600">
        Create your organization and your admin account. You can invite your team next.
      </p>
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.formError ? <FormMessage>{result.formError}</FormMessage> : null}
        <Field label="Organization" name="orgName" required error={result?.fieldErrors.orgName} />
        <TimeZoneSelect
          zones={zones}
          defaultValue="UTC"
          hint="Streaks and reminders follow this zone."
          error={result?.fieldErrors.timezone}
        />
        <Field label="Your name" name="name" autoComplete="name" required error={result?.fieldErrors.name} />
        <Field
          label="Your e-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={result?.fieldErrors.email}
        />
        <NewPasswordField label="Password" name="password" required error={result?.fieldErrors.password} />
        <button type="submit" className="btn">
          Create organization
        </button>
      </Form>
    </div>
  );
}
