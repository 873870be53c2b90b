// The demo organization "Acme Sales". People come first; then each feature's believable
// history, listed in history.server.ts, so the demo grows with the product.
import { first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { organizations, teamMembers, teams, userRoles, users, type Role } from "~/db/schema";
import { DAY_MS } from "~/shared/days";
import { hashPassword } from "~/features/auth/password.server";
import type { DemoOrg } from "./demo-org";
import { DEMO_HISTORY } from "./history.server";
import { DEMO_DAYS } from "./learning-history.server";

export const DEMO_PASSWORD = "flywheel-demo";

export const DEMO_LOGINS = [
  { email: "rep@example.com", role: "rep (Enterprise East)" },
  { email: "manager@example.com", role: "manager of Enterprise East and West" },
  { email: "manager2@example.com", role: "manager of Mid-Market" },
  { email: "trainer@example.com", role: "trainer" },
  { email: "admin@example.com", role: "admin" },
] as const;

type DemoPerson = { email: string; name: string; roles: Role[]; team?: string; manages?: string[] };

const TEAM_NAMES = ["Enterprise East", "Enterprise West", "Mid-Market"] as const;

const PEOPLE: DemoPerson[] = [
  { email: "rep@example.com", name: "Jordan Blake", roles: ["rep"], team: "Enterprise East" },
  {
    email: "manager@example.com",
    name: "Morgan Ellis",
    roles: ["manager"],
    manages: ["Enterprise East", "Enterprise West"],
  },
  { email: "manager2@example.com", name: "Sam Okafor", roles: ["manager"], manages: ["Mid-Market"] },
  { email: "trainer@example.com", name: "Taylor Nguyen", roles: ["trainer"] },
  { email: "admin@example.com", name: "Alex Rivera", roles: ["admin"] },
  ...[
    ["Priya Raman", "Enterprise East"],
    ["Marcus Chen", "Enterprise East"],
    ["Elena Petrova", "Enterprise East"],
    ["Daniel Mensah", "Enterprise East"],
    ["Hannah Schmidt", "Enterprise East"],
    ["Luis Ortega", "Enterprise West"],
    ["Aisha Bello", "Enterprise West"],
    ["Connor Walsh", "Enterprise West"],
    ["Mei Tanaka", "Enterprise West"],
    ["Rafael Souza", "Enterprise West"],
    ["Grace Kim", "Mid-Market"],
    ["Omar Haddad", "Mid-Market"],
    ["Chloe Martin", "Mid-Market"],
    ["Ben Adeyemi", "Mid-Market"],
    ["Sofia Rossi", "Mid-Market"],
    ["Noah Fischer", "Mid-Market"],
    ["Isabel Duarte", "Mid-Market"],
  ].map(([name, team]) => ({
    email: `${name!.split(" ")[0]!.toLowerCase()}.${name!.split(" ")[1]!.toLowerCase()}@example.com`,
    name: name!,
    roles: ["rep"] as Role[],
    team,
  })),
];

/** Loads the demo organization into an empty installation; null when it already has one. */
export async function seedDemoOrganization(db: Handle, now = new Date()): Promise<DemoOrg | null> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const orgId = newId();
  const teamIds = Object.fromEntries(TEAM_NAMES.map((name) => [name, newId()]));
  const userIds = Object.fromEntries(PEOPLE.map((p) => [p.email, newId()]));
  // Everyone has been in their team since the demo's history starts, before any of its
  // assignments: none of them is a later joiner (decision 019).
  const joinedAt = new Date(now.getTime() - DEMO_DAYS * DAY_MS);
  // Only into an empty installation, decided inside the transaction that creates the
  // organization: of several servers starting together on one database, one seeds.
  const claimed = await transaction(db, async (tx) => {
    if (await first(tx.select({ id: organizations.id }).from(organizations).limit(1))) return false;
    await tx
      .insert(organizations)
      .values({ id: orgId, name: "Acme Sales", timezone: "America/New_York", boostMinutes: 1 });
    await tx.insert(teams).values(TEAM_NAMES.map((name) => ({ id: teamIds[name]!, orgId, name })));
    for (const person of PEOPLE) {
      const userId = userIds[person.email]!;
      await tx.insert(users).values({ id: userId, orgId, email: person.email, name: person.name, passwordHash });
      await tx.insert(userRoles).values(person.roles.map((role) => ({ orgId, userId, role })));
      if (person.team)
        await tx.insert(teamMembers).values({ orgId, teamId: teamIds[person.team]!, userId, role: "member", joinedAt });
      for (const team of person.manages ?? []) {
        await tx.insert(teamMembers).values({ orgId, teamId: teamIds[team]!, userId, role: "manager", joinedAt });
      }
    }
    return true;
  });
  if (!claimed) return null;
  const org: DemoOrg = {
    orgId,
    teamIds,
    userIds,
    reps: PEOPLE.filter((p) => p.team).map((p) => ({
      id: userIds[p.email]!,
      email: p.email,
      teamId: teamIds[p.team!]!,
    })),
  };
  // Each feature's history in its own transaction, which the step is given and runs all of its work on.
  for (const step of DEMO_HISTORY) await transaction(db, async (tx) => step(tx, org, now));
  return org;
}
