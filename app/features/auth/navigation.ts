import type { Role } from "~/db/model";

export type NavItem = { to: string; label: string };

/** Each role sees its own places; someone with several roles sees them all, once. */
export function navigationFor(roles: readonly Role[]): NavItem[] {
  const items: NavItem[] = [];
  if (roles.includes("rep")) items.push({ to: "/today", label: "Today" });
  items.push({ to: "/library", label: "Library" });
  if (roles.includes("rep")) items.push({ to: "/progress", label: "Progress" });
  if (roles.includes("manager")) items.push({ to: "/coach", label: "Coaching" });
  if (roles.includes("manager") || roles.includes("admin")) items.push({ to: "/insights", label: "Insights" });
  if (roles.includes("trainer")) items.push({ to: "/content", label: "Content" });
  if (roles.includes("admin")) items.push({ to: "/admin", label: "Admin" });
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
