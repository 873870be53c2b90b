import type { Role } from "~/db/model";
import { AREAS, mayEnter, type AreaName } from "./access";

export type NavItem = { to: string; label: string };

/** Each role sees its own places (those AREAS lets it enter); several roles see them all, once. */
export function navigationFor(roles: readonly Role[]): NavItem[] {
  const items: NavItem[] = [];
  for (const [name, area] of Object.entries(AREAS)) {
    if ("nav" in area && mayEnter(roles, name as AreaName)) items.push(area.nav);
  }
  return items;
}

/** Where "/" takes a signed-in person. */
export function homeFor(roles: readonly Role[]): string {
  if (roles.includes("rep")) return "/today";
  if (roles.includes("manager")) return "/insights";
  if (roles.includes("trainer")) return "/content";
  if (roles.includes("admin")) return "/admin";
  return "/library";
}
