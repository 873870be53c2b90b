// The first steps of a new organization, each read from what is really there: people invited or
// joined, a team with reps in it, a first assignment, the settings (digest hour) saved. The admin's
// overview and an admin's Insights show them until they are done.
import { and, count, eq, isNull } from "drizzle-orm";
import { first, type Handle } from "~/db/connection.server";
import { assignments, invitations, organizations, teamMembers, teams, users } from "~/db/schema";
import type { OnboardingState } from "~/ui/onboarding-checklist";

/** What the checklist reads, and whether every step is done. */
export type Onboarding = OnboardingState & { complete: boolean };

export async function onboardingChecklist(db: Handle, orgId: string): Promise<Onboarding> {
  // Small counts on the organization's indexes, independent of each other: started together.
  const [people, waiting, teamCount, staffed, assigned, org] = await Promise.all([
    first(db.select({ n: count() }).from(users).where(eq(users.orgId, orgId))),
    first(
      db
        .select({ n: count() })
        .from(invitations)
        .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt))),
    ),
    first(db.select({ n: count() }).from(teams).where(eq(teams.orgId, orgId))),
    db
      .selectDistinct({ teamId: teamMembers.teamId })
      .from(teams)
      .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.role, "member")))
      .where(eq(teams.orgId, orgId)),
    first(db.select({ n: count() }).from(assignments).where(eq(assignments.orgId, orgId))),
    first(
      db
        .select({
          digestHour: organizations.digestHour,
          timezone: organizations.timezone,
          savedAt: organizations.settingsSavedAt,
        })
        .from(organizations)
        .where(eq(organizations.id, orgId))
        .limit(1),
    ),
  ]);
  const state = {
    people: people?.n ?? 0,
    waitingInvitations: waiting?.n ?? 0,
    teams: teamCount?.n ?? 0,
    teamsWithReps: staffed.length,
    assignments: assigned?.n ?? 0,
    digestHour: org?.savedAt ? org.digestHour : null,
    timezone: org?.timezone ?? "UTC",
  };
  return {
    ...state,
    complete:
      (state.people > 1 || state.waitingInvitations > 0) &&
      state.teamsWithReps > 0 &&
      state.assignments > 0 &&
      state.digestHour !== null,
  };
}
