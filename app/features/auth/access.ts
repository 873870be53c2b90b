// Who may enter each area of the app. The navigation and every loader's and action's check
// (requireUser) read this one table, so a link is shown exactly where the page lets you in.
import type { Role } from "~/db/model";
import { Refusal } from "~/features/refusal";

type Area = {
  /** The roles that may enter; someone with several roles may enter where any of them may. */
  roles: readonly Role[];
  /** Its place in the main navigation, if it has one (in this order). */
  nav?: { to: string; label: string };
};

export const AREAS = {
  today: { roles: ["rep"], nav: { to: "/today", label: "Today" } },
  library: { roles: ["rep", "manager", "trainer", "admin"], nav: { to: "/library", label: "Library" } },
  /** A five-minute warm-up before a call, from the library. */
  prep: { roles: ["rep", "manager", "trainer", "admin"], nav: { to: "/prep", label: "Call prep" } },
  progress: { roles: ["rep"], nav: { to: "/progress", label: "Progress" } },
  /** The daily boost and a rep's own recordings. */
  practice: { roles: ["rep"] },
  coaching: { roles: ["manager"], nav: { to: "/coach", label: "Coaching" } },
  insights: { roles: ["manager", "admin"], nav: { to: "/insights", label: "Insights" } },
  content: { roles: ["trainer", "admin"], nav: { to: "/content", label: "Content" } },
  admin: { roles: ["admin"], nav: { to: "/admin", label: "Admin" } },
} as const satisfies Record<string, Area>;

export type AreaName = keyof typeof AREAS;

export function mayEnter(roles: readonly Role[], area: AreaName): boolean {
  return AREAS[area].roles.some((role) => roles.includes(role));
}

/** A person or team named in a request is outside the acting user's organization (no IDOR). */
export function notInOrganization(field?: string): Refusal {
  return new Refusal("That person or team is not in your organization.", 400, field);
}
