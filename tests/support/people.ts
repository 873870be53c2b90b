// Builders for test organizations, people and teams: their rows are inserted directly with drizzle
// queries on the shared handle, not through the app's feature functions.
import { db } from "../../app/db/connection.server";
import { newId } from "../../app/db/ids";
import {
  organizations,
  ssoConnections,
  ssoDomains,
  teamMembers,
  teams,
  userRoles,
  users,
  type Role,
} from "../../app/db/schema";
import { hashPassword } from "../../app/features/auth/password.server";

export const TEST_PASSWORD = "correct horse battery";
let cachedHash: Promise<string> | undefined;

export async function makeOrg(name = "Org " + newId().slice(0, 6)) {
  const id = newId();
  await db().insert(organizations).values({ id, name, timezone: "UTC" });
  return { id, name };
}

export async function makeUser(
  orgId: string,
  roles: Role[],
  email = `${newId().slice(0, 10)}@test.example`,
  name = `Person ${email.split("@")[0]}`,
) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  await db()
    .insert(users)
    .values({ id, orgId, email, name, passwordHash: await cachedHash });
  if (roles.length)
    await db()
      .insert(userRoles)
      .values(roles.map((role) => ({ orgId, userId: id, role })));
  return { id, email, orgId, name };
}

/**
 * When a team's people joined it, unless a test says otherwise: before any day a test works on,
 * so no test's assignments find later joiners (decision 019) by the wall clock.
 */
export const MEMBERS_SINCE = new Date("2000-01-01T00:00:00Z");

export async function makeTeam(
  orgId: string,
  name: string,
  people: Array<{ userId: string; role: "member" | "manager"; joinedAt?: Date }> = [],
) {
  const id = newId();
  await db().insert(teams).values({ id, orgId, name });
  for (const p of people)
    await db()
      .insert(teamMembers)
      .values({ orgId, teamId: id, userId: p.userId, role: p.role, joinedAt: p.joinedAt ?? MEMBERS_SINCE });
  return { id };
}

/**
 * Sets the organization up to sign in through a provider for `domain`, as /admin/sign-in saves it
 * (no provider is reached: for tests of what a claimed domain changes, not of signing in).
 */
export async function claimSsoDomain(orgId: string, domain: string, now = new Date()) {
  await db().insert(ssoConnections).values({
    orgId,
    providerName: "Test IdP",
    issuer: "https://idp.example",
    clientId: "flywheel",
    clientSecret: "secret",
    updatedAt: now,
  });
  await db().insert(ssoDomains).values({ domain, orgId, createdAt: now });
}
