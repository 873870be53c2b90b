// Builders for test organizations, written with the app's own feature functions.
import { db } from "../../app/db/connection.server";
import { newId } from "../../app/db/ids";
import { organizations, teamMembers, teams, userRoles, users, type Role } from "../../app/db/schema";
import { hashPassword } from "../../app/features/auth/password.server";

export const TEST_PASSWORD = "correct horse battery";
let cachedHash: Promise<string> | undefined;

export async function makeOrg(name = "Org " + newId().slice(0, 6)) {
  const id = newId();
  db().insert(organizations).values({ id, name, timezone: "UTC" }).run();
  return { id, name };
}

export async function makeUser(orgId: string, roles: Role[], email = `${newId().slice(0, 10)}@test.example`) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  db().insert(users).values({ id, orgId, email, name: `Person ${email.split("@")[0]}`, passwordHash: await cachedHash }).run();
  if (roles.length) db().insert(userRoles).values(roles.map((role) => ({ orgId, userId: id, role }))).run();
  return { id, email, orgId };
}

export function makeTeam(orgId: string, name: string, people: Array<{ userId: string; role: "member" | "manager" }> = []) {
  const id = newId();
  db().insert(teams).values({ id, orgId, name }).run();
  for (const p of people) db().insert(teamMembers).values({ orgId, teamId: id, userId: p.userId, role: p.role }).run();
  return { id };
}
