// The filters Flywheel answers (decision 034): the equality lookups that identity providers make
// before they create someone ("does this userName exist?"). scimmy parses the expression (RFC 7644
// §3.4.2.2 grammar); anything beyond one equality on a supported attribute is refused by name.
import SCIMMY from "scimmy";
import { ScimError } from "./protocol";

export type UserFilter = { attribute: "userName" | "externalId" | "email" | "id"; value: string };
/** `member`: only the group if this user is one of its members (Entra's membership check). */
export type GroupFilter = { attribute: "displayName" | "id"; value: string; member?: string };

type Comparison = [operator: string, value?: unknown];
type Expression = Record<string, Comparison | Record<string, Comparison>>;

const SUPPORTED_USERS = 'userName eq "…", externalId eq "…", emails[type eq "work"].value eq "…", id eq "…"';
const SUPPORTED_GROUPS = 'displayName eq "…", id eq "…", id eq "…" and members eq "…"';

/** The expression as scimmy reads it: OR-ed branches of AND-ed attribute comparisons. */
function parse(filter: string, supported: string): Expression[] {
  if (filter.length > 500) throw new ScimError(400, "That filter is longer than 500 characters.", "invalidFilter");
  try {
    return [...new SCIMMY.Types.Filter(filter)] as Expression[];
  } catch {
    throw new ScimError(400, `Flywheel cannot read the filter “${filter}”. It answers ${supported}.`, "invalidFilter");
  }
}

const equalsString = (comparison: unknown): string | null =>
  Array.isArray(comparison) &&
  comparison.length === 2 &&
  comparison[0] === "eq" &&
  typeof comparison[1] === "string" &&
  comparison[1].trim() !== ""
    ? comparison[1]
    : null;

/** One equality on one attribute, as `{ name, comparison }` with the name lower-cased. */
function singleComparison(branches: Expression[], filter: string, supported: string) {
  const only = branches.length === 1 ? Object.entries(branches[0]!) : [];
  if (only.length !== 1)
    throw new ScimError(
      400,
      `Flywheel answers one comparison at a time (${supported}), not “${filter}”.`,
      "invalidFilter",
    );
  const [name, comparison] = only[0]!;
  return { name: name.toLowerCase(), comparison };
}

const unsupported = (filter: string, supported: string) =>
  new ScimError(400, `Flywheel answers ${supported}; it cannot answer “${filter}”.`, "invalidFilter");

export function parseUserFilter(filter: string): UserFilter {
  const { name, comparison } = singleComparison(parse(filter, SUPPORTED_USERS), filter, SUPPORTED_USERS);
  if (name === "username" || name === "externalid" || name === "id") {
    const value = equalsString(comparison);
    if (value === null) throw unsupported(filter, SUPPORTED_USERS);
    return { attribute: name === "username" ? "userName" : name === "id" ? "id" : "externalId", value };
  }
  if (name === "emails" && comparison && !Array.isArray(comparison)) {
    // emails[type eq "work"].value eq "…" (Entra's default), or emails.value eq "…".
    const parts = Object.fromEntries(Object.entries(comparison).map(([k, v]) => [k.toLowerCase(), v]));
    const value = equalsString(parts.value);
    const type = parts.type === undefined ? "work" : equalsString(parts.type);
    const keys = Object.keys(parts).filter((k) => k !== "value" && k !== "type");
    if (value !== null && type?.toLowerCase() === "work" && keys.length === 0) return { attribute: "email", value };
  }
  throw unsupported(filter, SUPPORTED_USERS);
}

export function parseGroupFilter(filter: string): GroupFilter {
  const branches = parse(filter, SUPPORTED_GROUPS);
  // Entra asks whether a user is in a group before it adds or removes them:
  // `id eq "<group>" and members eq "<user>"` (or members.value, or members[value eq …]).
  const both = branches.length === 1 ? Object.entries(branches[0]!).map(([k, v]) => [k.toLowerCase(), v] as const) : [];
  if (both.length === 2 && both.some(([k]) => k === "members")) {
    const id = equalsString(both.find(([k]) => k === "id")?.[1]);
    const members = both.find(([k]) => k === "members")![1];
    const member = Array.isArray(members)
      ? equalsString(members)
      : equalsString(Object.entries(members).find(([k]) => k.toLowerCase() === "value")?.[1]);
    if (id !== null && member !== null) return { attribute: "id", value: id, member };
    throw unsupported(filter, SUPPORTED_GROUPS);
  }
  const { name, comparison } = singleComparison(branches, filter, SUPPORTED_GROUPS);
  const value = equalsString(comparison);
  if ((name === "displayname" || name === "id") && value !== null)
    return { attribute: name === "id" ? "id" : "displayName", value };
  throw unsupported(filter, SUPPORTED_GROUPS);
}

/** The member a PATCH path names: Entra's `members[value eq "<id>"]`; null for any other path. */
export function memberInPath(path: string): string | null {
  const inner = /^members\[(.*)\]$/i.exec(path.trim())?.[1];
  if (inner === undefined) return null;
  const { name, comparison } = singleComparison(parse(inner, 'members[value eq "…"]'), path, 'members[value eq "…"]');
  const value = equalsString(comparison);
  if (name !== "value" || value === null) throw unsupported(path, 'members[value eq "…"]');
  return value;
}
