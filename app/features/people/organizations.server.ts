import { count, eq } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { organizations, userRoles, users } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { hashNewPassword } from "~/features/auth/password.server";

export async function organizationCount(db: Handle): Promise<number> {
  return (await first(db.select({ n: count() }).from(organizations)))?.n ?? 0;
}

/** First-run set-up: the organization and its first admin (who can also manage and train). */
export async function createOrganizationWithAdmin(
  db: Handle,
  input: {
    orgName: string;
    timezone: string;
    name: string;
    email: string;
    password: string;
  },
): Promise<{ orgId: string; userId: string }> {
  const passwordHash = await hashNewPassword(input.password, input.email);
  const orgId = newId();
  const userId = newId();
  await transaction(db, async (tx) => {
    // Checked inside the write so two first visits cannot both create an organization.
    if (((await first(tx.select({ n: count() }).from(organizations)))?.n ?? 0) > 0) throw new SetupClosedError();
    await tx.insert(organizations).values({ id: orgId, name: input.orgName, timezone: input.timezone });
    await tx.insert(users).values({ id: userId, orgId, email: input.email, name: input.name, passwordHash });
    await tx
      .insert(userRoles)
      .values(["admin", "manager", "trainer"].map((role) => ({ orgId, userId, role: role as "admin" })));
  });
  return { orgId, userId };
}

export class SetupClosedError extends Error {
  constructor() {
    super("This Flywheel already has an organization. Sign in instead.");
  }
}

/** What an admin sets on the settings page. */
export type OrganizationSettings = {
  name: string;
  timezone: string;
  desiredRetention: number;
  /** Minutes a day a boost may take (decision 023). */
  boostMinutes: number;
  digestHour: number;
};

/** The settings, and the FSRS weights the organization is scheduled with (null: FSRS-6's defaults). */
export async function organizationSettings(
  db: Handle,
  orgId: string,
): Promise<OrganizationSettings & { parameters: number[] | null }> {
  return (await first(
    db
      .select({
        name: organizations.name,
        timezone: organizations.timezone,
        desiredRetention: organizations.desiredRetention,
        boostMinutes: organizations.boostMinutes,
        digestHour: organizations.digestHour,
        parameters: organizations.fsrsParameters,
      })
      .from(organizations)
      .where(eq(organizations.id, orgId))
      .limit(1),
  ))!;
}

/** Saves the settings page; the time it was saved tells the onboarding checklist the digest hour is set. */
export async function updateOrganizationSettings(
  db: Handle,
  orgId: string,
  settings: OrganizationSettings,
  now: Date,
  by: AuditActor,
): Promise<void> {
  const { name, timezone, desiredRetention, boostMinutes, digestHour } = settings;
  const next = { name, timezone, desiredRetention, boostMinutes, digestHour };
  await transaction(db, async (tx) => {
    const { parameters: _parameters, ...before } = await organizationSettings(tx, orgId);
    await tx
      .update(organizations)
      .set({ ...next, settingsSavedAt: now })
      .where(eq(organizations.id, orgId));
    const changed = Object.fromEntries(
      (Object.keys(next) as (keyof OrganizationSettings)[])
        .filter((key) => before[key] !== next[key])
        .map((key) => [key, { from: before[key], to: next[key] }]),
    );
    if (Object.keys(changed).length)
      await recordAudit(
        tx,
        orgId,
        by,
        {
          action: "organization.settings-changed",
          subjectType: "organization",
          subjectId: orgId,
          subjectLabel: name,
          details: changed,
        },
        now,
      );
  });
}
