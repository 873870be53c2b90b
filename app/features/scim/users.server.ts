// SCIM Users (RFC 7643 §4.1) are the organization's people (decision 034). The account's address,
// the one they sign in with and get mail at, is the work e-mail (`emails`), or userName when the
// provider sends no e-mail; a userName that differs from it (Entra's userPrincipalName) is kept
// beside it, so that neither overwrites the other on the next sync; the name is displayName, or name.formatted,
// or the given and family names; `active: false` and DELETE deactivate (history stays, sessions
// end); the enterprise extension's manager is kept and made a manager of the person's teams.
import { and, asc, count, eq, isNull, ne, or, type SQL } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { scimUsers, teamMembers, teams, userRoles, users } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { emailField } from "~/features/forms";
import { inviteNewAccounts } from "~/features/people/invitations.server";
import { setActive } from "~/features/people/users.server";
import { appUrl } from "~/shared/app-origin.server";
import { attributeNames, SCIM_BASE_PATH } from "./discovery.server";
import type { UserFilter } from "./filter";
import { attribute, readBoolean, readObject, readString, SCHEMA, ScimError } from "./protocol";

/** A person as SCIM shows them: the account and what the provider told us about them. */
export type ScimPerson = {
  id: string;
  email: string;
  /** The provider's userName when it is not `email`. */
  userName: string | null;
  name: string;
  active: boolean;
  createdAt: Date;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  managerId: string | null;
};

const PERSON_COLUMNS = {
  id: users.id,
  email: users.email,
  userName: scimUsers.userName,
  name: users.name,
  active: users.active,
  createdAt: users.createdAt,
  externalId: scimUsers.externalId,
  givenName: scimUsers.givenName,
  familyName: scimUsers.familyName,
  managerId: scimUsers.managerId,
};

function filterCondition(filter: UserFilter | null): SQL | undefined {
  if (!filter) return undefined;
  if (filter.attribute === "externalId") return eq(scimUsers.externalId, filter.value);
  if (filter.attribute === "id") return eq(users.id, filter.value);
  const value = filter.value.trim().toLowerCase();
  // The work e-mail is the account's address; userName is the one kept beside it, or the address.
  if (filter.attribute === "email") return eq(users.email, value);
  return userNameIs(value);
}

/** People whose userName is `value` (lower-cased): the one kept, or their address when none is. */
const userNameIs = (value: string) =>
  or(eq(scimUsers.userName, value), and(isNull(scimUsers.userName), eq(users.email, value)));

export async function listScimUsers(
  db: Handle,
  orgId: string,
  filter: UserFilter | null,
  page: { startIndex: number; count: number },
): Promise<{ people: ScimPerson[]; total: number }> {
  const where = and(eq(users.orgId, orgId), filterCondition(filter));
  const joined = and(eq(scimUsers.userId, users.id), eq(scimUsers.orgId, orgId));
  const [{ total } = { total: 0 }] = await db
    .select({ total: count() })
    .from(users)
    .leftJoin(scimUsers, joined)
    .where(where);
  const people =
    page.count === 0
      ? []
      : await db
          .select(PERSON_COLUMNS)
          .from(users)
          .leftJoin(scimUsers, joined)
          .where(where)
          .orderBy(asc(users.createdAt), asc(users.id))
          .limit(page.count)
          .offset(page.startIndex - 1);
  return { people, total: Number(total) };
}

export async function findScimUser(db: Handle, orgId: string, userId: string): Promise<ScimPerson | null> {
  const found = await first(
    db
      .select(PERSON_COLUMNS)
      .from(users)
      .leftJoin(scimUsers, and(eq(scimUsers.userId, users.id), eq(scimUsers.orgId, orgId)))
      .where(and(eq(users.id, userId), eq(users.orgId, orgId)))
      .limit(1),
  );
  return found ?? null;
}

export async function requireScimUser(db: Handle, orgId: string, userId: string): Promise<ScimPerson> {
  const person = await findScimUser(db, orgId, userId);
  if (!person) throw new ScimError(404, `There is no user with id “${userId}”.`);
  return person;
}

const userUrl = (id: string) => appUrl(`${SCIM_BASE_PATH}/Users/${encodeURIComponent(id)}`);

export function userResource(person: ScimPerson) {
  return {
    schemas: [SCHEMA.user, ...(person.managerId ? [SCHEMA.enterpriseUser] : [])],
    id: person.id,
    ...(person.externalId ? { externalId: person.externalId } : {}),
    userName: person.userName ?? person.email,
    name: {
      formatted: person.name,
      ...(person.givenName ? { givenName: person.givenName } : {}),
      ...(person.familyName ? { familyName: person.familyName } : {}),
    },
    displayName: person.name,
    active: person.active,
    emails: [{ value: person.email, type: "work", primary: true }],
    ...(person.managerId
      ? { [SCHEMA.enterpriseUser]: { manager: { value: person.managerId, $ref: userUrl(person.managerId) } } }
      : {}),
    meta: { resourceType: "User", created: person.createdAt.toISOString(), location: userUrl(person.id) },
  };
}

// ---------------------------------------------------------------------------- reading requests

/**
 * What a request says a person should be. `undefined`: the request does not touch it; for
 * externalId and the manager, null removes it.
 */
export type UserDraft = {
  /** The account's address: the work e-mail, or userName while the request gives no e-mail. */
  email: string;
  userName: string;
  /** Whether `email` came from `emails` (else it follows userName, while the two were the same). */
  emailGiven: boolean;
  active: boolean;
  displayName: string | null;
  formatted: string | null;
  givenName: string | null;
  familyName: string | null;
  externalId: string | null;
  managerId: string | null;
  /** Which of the name's sources the request set: displayName wins, then formatted, then the parts. */
  nameFrom: "displayName" | "formatted" | "parts" | null;
};

const USER_ATTRIBUTES = attributeNames("user");
const ENTERPRISE_ATTRIBUTES = attributeNames("enterpriseUser");
// Attributes of the resource itself (RFC 7643 §3.1), which a client may send back as it read them.
const COMMON = new Set(["schemas", "id", "externalid", "meta"]);

/** The draft as the person is now: the start of a PATCH. */
export function draftOf(person: ScimPerson): UserDraft {
  return {
    email: person.email,
    userName: person.userName ?? person.email,
    // A userName kept apart from the address stays apart: changing it leaves the address alone.
    emailGiven: person.userName !== null,
    active: person.active,
    displayName: person.name,
    formatted: null,
    givenName: person.givenName,
    familyName: person.familyName,
    externalId: person.externalId,
    managerId: person.managerId,
    nameFrom: null,
  };
}

/** A blank draft for a POST or a PUT: what the body leaves out is empty (active: true). */
export function blankDraft(): UserDraft {
  return {
    email: "",
    userName: "",
    emailGiven: false,
    active: true,
    displayName: null,
    formatted: null,
    givenName: null,
    familyName: null,
    externalId: null,
    managerId: null,
    nameFrom: null,
  };
}

function readEmail(value: unknown, what: "userName" | "emails"): string {
  const text = readString(value, what, 254);
  const parsed = emailField.safeParse(text ?? "");
  if (!parsed.success)
    throw new ScimError(
      400,
      what === "userName"
        ? `userName must be the person's e-mail address when emails gives none, like name@company.com${text ? `; “${text}” is not one` : ""}.`
        : `The work e-mail must be an address like name@company.com${text ? `; “${text}” is not one` : ""}.`,
      "invalidValue",
    );
  return parsed.data;
}

/**
 * After every attribute of a request is read: the address follows userName unless the request
 * (or an earlier one, for a userName kept apart) gave a work e-mail.
 */
export function settleAddress(draft: UserDraft): UserDraft {
  if (!draft.userName) throw new ScimError(400, "userName is required.", "invalidValue");
  if (!draft.emailGiven) draft.email = readEmail(draft.userName, "userName");
  return draft;
}

/** A manager as providers send one: `{ value: "<id>" }`, or the id alone (Entra's PATCH). */
function readManager(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const id =
    typeof value === "object" && !Array.isArray(value)
      ? attribute(value as object as Record<string, unknown>, "value")
      : value;
  return readString(id, "manager.value", 64);
}

/**
 * Sets one attribute (a path as SCIM writes it: `active`, `name.givenName`, `emails[type eq
 * "work"].value`, the enterprise manager's URN…) on the draft. `value` undefined removes it.
 */
export function setUserAttribute(draft: UserDraft, path: string, value: unknown): void {
  const lower = path.trim().toLowerCase();
  const enterprise = SCHEMA.enterpriseUser.toLowerCase();
  if (lower === enterprise) {
    if (value === undefined) return void (draft.managerId = null);
    for (const [key, inner] of Object.entries(readObject(value, enterprise)))
      setUserAttribute(draft, `${enterprise}:${key}`, inner);
    return;
  }
  if (lower.startsWith(`${enterprise}:`)) {
    const name = lower.slice(enterprise.length + 1);
    if (name === "manager" || name === "manager.value") return void (draft.managerId = readManager(value));
    if (ENTERPRISE_ATTRIBUTES.has(name.split(".")[0]!)) return; // department, costCenter…: not kept
    throw new ScimError(400, `The enterprise extension has no attribute “${name}”.`, "invalidPath");
  }
  const core = lower.startsWith(`${SCHEMA.user.toLowerCase()}:`) ? lower.slice(SCHEMA.user.length + 1) : lower;
  switch (core) {
    case "username":
      if (value === undefined) throw new ScimError(400, "userName is required: it cannot be removed.", "invalidValue");
      return void (draft.userName = (readString(value, "userName", 254) ?? "").toLowerCase());
    case "active":
      if (value === undefined) throw new ScimError(400, "active cannot be removed; set it to false.", "invalidValue");
      return void (draft.active = readBoolean(value, "active"));
    case "displayname":
      draft.displayName = readString(value, "displayName");
      draft.nameFrom = "displayName";
      return;
    case "externalid":
      return void (draft.externalId = readString(value, "externalId", 200));
    case "name": {
      if (value === undefined) {
        draft.formatted = draft.givenName = draft.familyName = null;
        return;
      }
      for (const [key, inner] of Object.entries(readObject(value, "name")))
        setUserAttribute(draft, `name.${key}`, inner);
      return;
    }
    case "name.formatted":
      draft.formatted = readString(value, "name.formatted");
      if (draft.nameFrom !== "displayName") draft.nameFrom = "formatted";
      return;
    case "name.givenname":
    case "name.familyname":
      draft[core === "name.givenname" ? "givenName" : "familyName"] = readString(value, path.trim());
      if (draft.nameFrom === null) draft.nameFrom = "parts";
      return;
    case "emails":
      if (value === undefined) return;
      return void readWorkEmail(draft, value);
    case 'emails[type eq "work"].value':
    case "emails[primary eq true].value":
      if (value === undefined) return;
      draft.email = readEmail(value, "emails");
      draft.emailGiven = true;
      return;
  }
  const top = core.split(/[.[]/)[0]!;
  if (COMMON.has(top) || top === "meta") return;
  if (USER_ATTRIBUTES.has(top)) return; // a standard attribute Flywheel does not keep (title, phoneNumbers…)
  throw new ScimError(400, `Flywheel's users have no attribute “${path}”.`, "invalidPath");
}

/** The primary (or work) address among `emails`; the account's address follows it. */
function readWorkEmail(draft: UserDraft, value: unknown): void {
  if (!Array.isArray(value)) throw new ScimError(400, "emails must be a list.", "invalidValue");
  const entries = value.map((e) => readObject(e, "Each of emails"));
  const chosen =
    entries.find((e) => attribute(e, "primary") === true || attribute(e, "primary") === "True") ??
    entries.find((e) => String(attribute(e, "type") ?? "").toLowerCase() === "work") ??
    entries[0];
  if (!chosen) return;
  draft.email = readEmail(attribute(chosen, "value"), "emails");
  draft.emailGiven = true;
}

/** A POST's or PUT's body read onto a blank draft: every attribute is checked, unknown ones refused. */
export function readUserBody(body: unknown): UserDraft {
  const object = readObject(body, "The request body");
  const draft = blankDraft();
  for (const [key, value] of Object.entries(object)) {
    const lower = key.toLowerCase();
    if (lower === "id" || lower === "meta" || lower === "schemas") continue;
    const known =
      USER_ATTRIBUTES.has(lower) ||
      COMMON.has(lower) ||
      lower === SCHEMA.enterpriseUser.toLowerCase() ||
      lower.startsWith(`${SCHEMA.enterpriseUser.toLowerCase()}:`) ||
      lower.startsWith(`${SCHEMA.user.toLowerCase()}:`);
    if (!known) throw new ScimError(400, `Flywheel's users have no attribute “${key}”.`, "invalidSyntax");
    setUserAttribute(draft, key, value);
  }
  // A body with an e-mail but no userName: the e-mail is both.
  if (!draft.userName && draft.emailGiven) draft.userName = draft.email;
  return settleAddress(draft);
}

/** The person's name from the draft: displayName, or name.formatted, or the parts, or their address. */
function nameFrom(draft: UserDraft, current: string | null): string {
  const parts = [draft.givenName, draft.familyName].filter(Boolean).join(" ");
  const byRule =
    draft.nameFrom === "displayName"
      ? draft.displayName
      : draft.nameFrom === "formatted"
        ? draft.formatted
        : draft.nameFrom === "parts"
          ? parts
          : null;
  const name = byRule || current || draft.displayName || draft.formatted || parts || draft.email.split("@")[0]!;
  return name.slice(0, 100);
}

// ---------------------------------------------------------------------------- writing

/** The words for an address that cannot be used, as the import and invitations say it. */
export const addressRefused = (email: string) =>
  new ScimError(409, `userName ${email}: this address cannot be added.`, "uniqueness");

/**
 * Refuses an address that another account holds: in this organization as a plain conflict, in
 * another one with the same words as any unusable address (naming no organization) and an
 * `address.refused` event, written on `db` so that it stays when the request fails.
 */
async function assertAddressFree(
  db: Handle,
  orgId: string,
  email: string,
  exceptUserId: string | null,
  by: AuditActor,
  now: Date,
): Promise<void> {
  const holder = await first(
    db.select({ id: users.id, orgId: users.orgId }).from(users).where(eq(users.email, email)).limit(1),
  );
  if (!holder || holder.id === exceptUserId) return;
  if (holder.orgId === orgId)
    throw new ScimError(409, `A user with userName ${email} exists already (id ${holder.id}).`, "uniqueness");
  await recordAudit(
    db,
    orgId,
    by,
    {
      action: "address.refused",
      subjectType: "user",
      subjectLabel: email,
      details: { reason: "the address has an account in another organization" },
    },
    now,
  );
  throw addressRefused(email);
}

/** Refuses a userName another person of the organization has (RFC 7643 §4.1: unique). */
async function assertUserNameFree(db: Handle, orgId: string, userName: string, exceptUserId: string | null) {
  const holder = await first(
    db
      .select({ id: users.id })
      .from(users)
      .leftJoin(scimUsers, and(eq(scimUsers.userId, users.id), eq(scimUsers.orgId, orgId)))
      .where(and(eq(users.orgId, orgId), userNameIs(userName), exceptUserId ? ne(users.id, exceptUserId) : undefined))
      .limit(1),
  );
  if (holder)
    throw new ScimError(409, `A user with userName ${userName} exists already (id ${holder.id}).`, "uniqueness");
}

/** What scim_users keeps of userName: nothing when it is the address. */
const keptUserName = (draft: UserDraft) => (draft.userName === draft.email ? null : draft.userName);

async function assertManager(db: Handle, orgId: string, managerId: string | null, userId: string): Promise<void> {
  if (managerId === null) return;
  if (managerId === userId) throw new ScimError(400, "A person cannot be their own manager.", "invalidValue");
  const found = await first(
    db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, managerId), eq(users.orgId, orgId)))
      .limit(1),
  );
  if (!found) throw new ScimError(400, `manager: there is no user with id “${managerId}”.`, "invalidValue");
}

/**
 * Makes `managerId` a manager of the teams `userId` is a member of (all of them, or `onlyTeamIds`),
 * and gives them the manager role if they lack it: what "managed by" means in Flywheel, where a
 * manager sees the reps of the teams they manage. A person in no team gives the manager nothing yet;
 * joining a team through SCIM later does.
 */
export async function placeManager(
  tx: Handle,
  orgId: string,
  userId: string,
  managerId: string,
  by: AuditActor,
  now: Date,
  onlyTeamIds?: string[],
): Promise<void> {
  const memberOf = await tx
    .select({ teamId: teamMembers.teamId, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, userId), eq(teamMembers.role, "member")));
  const managed = new Set(
    (
      await tx
        .select({ teamId: teamMembers.teamId })
        .from(teamMembers)
        .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, managerId), eq(teamMembers.role, "manager")))
    ).map((r) => r.teamId),
  );
  const joining = memberOf.filter((t) => !managed.has(t.teamId) && (!onlyTeamIds || onlyTeamIds.includes(t.teamId)));
  if (joining.length === 0) return;
  const manager = (await first(
    tx
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, managerId), eq(users.orgId, orgId)))
      .limit(1),
  ))!;
  await tx
    .insert(teamMembers)
    .values(
      joining.map((t) => ({ orgId, teamId: t.teamId, userId: managerId, role: "manager" as const, joinedAt: now })),
    );
  const roles = (
    await tx
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(and(eq(userRoles.orgId, orgId), eq(userRoles.userId, managerId)))
  ).map((r) => r.role);
  const events = joining.map((t) => ({
    action: "team.managers-changed" as const,
    subjectType: "team" as const,
    subjectId: t.teamId,
    subjectLabel: t.name,
    details: { added: manager.email, why: "the manager of a member, from the identity provider" },
  }));
  if (!roles.includes("manager")) {
    await tx.insert(userRoles).values({ orgId, userId: managerId, role: "manager" });
    await recordAudit(
      tx,
      orgId,
      by,
      {
        action: "person.roles-changed",
        subjectType: "user",
        subjectId: managerId,
        subjectLabel: manager.email,
        details: { roles: { from: [...roles].sort(), to: [...roles, "manager"].sort() } },
      },
      now,
    );
  }
  await recordAudit(tx, orgId, by, events, now);
}

/** Creates a person from a POST: a rep, invited unless the organization signs in with SSO. */
export async function createScimUser(
  db: Handle,
  orgId: string,
  draft: UserDraft,
  by: AuditActor,
  now: Date,
): Promise<ScimPerson> {
  const id = newId();
  await assertAddressFree(db, orgId, draft.email, null, by, now);
  await assertUserNameFree(db, orgId, draft.userName, null);
  await assertManager(db, orgId, draft.managerId, id);
  await transaction(db, async (tx) => {
    const name = nameFrom(draft, null);
    await tx
      .insert(users)
      .values({ id, orgId, email: draft.email, name, passwordHash: null, active: draft.active, createdAt: now });
    await tx.insert(userRoles).values({ orgId, userId: id, role: "rep" });
    await tx.insert(scimUsers).values({
      userId: id,
      orgId,
      externalId: draft.externalId,
      userName: keptUserName(draft),
      givenName: draft.givenName,
      familyName: draft.familyName,
      managerId: draft.managerId,
    });
    // Not when the address signs in with the organization's provider (inviteNewAccounts decides).
    const invited =
      draft.active && (await inviteNewAccounts(tx, orgId, [{ userId: id, email: draft.email }], null, now)) > 0;
    await recordAudit(
      tx,
      orgId,
      by,
      {
        action: "person.created",
        subjectType: "user",
        subjectId: id,
        subjectLabel: draft.email,
        details: { changes: ["roles: rep", ...(draft.active ? [] : ["deactivated"])], invited },
      },
      now,
    );
  });
  return requireScimUser(db, orgId, id);
}

/**
 * Brings a person to the draft (a PUT's or a PATCH's outcome), writing only what differs, in one
 * transaction with its audit events. Deactivating ends their sessions at once.
 */
export async function updateScimUser(
  db: Handle,
  orgId: string,
  person: ScimPerson,
  draft: UserDraft,
  by: AuditActor,
  now: Date,
): Promise<ScimPerson> {
  if (draft.email !== person.email) await assertAddressFree(db, orgId, draft.email, person.id, by, now);
  if (draft.userName !== (person.userName ?? person.email))
    await assertUserNameFree(db, orgId, draft.userName, person.id);
  if (draft.managerId !== person.managerId) await assertManager(db, orgId, draft.managerId, person.id);
  const name = nameFrom(draft, draft.nameFrom === null ? person.name : null);
  await transaction(db, async (tx) => {
    const subject = { subjectType: "user" as const, subjectId: person.id, subjectLabel: draft.email };
    const mine = and(eq(users.id, person.id), eq(users.orgId, orgId));
    if (draft.email !== person.email) {
      await tx.update(users).set({ email: draft.email }).where(mine);
      await recordAudit(
        tx,
        orgId,
        by,
        { action: "person.email-changed", ...subject, details: { email: { from: person.email, to: draft.email } } },
        now,
      );
    }
    if (name !== person.name) {
      await tx.update(users).set({ name }).where(mine);
      await recordAudit(
        tx,
        orgId,
        by,
        { action: "person.renamed", ...subject, details: { name: { from: person.name, to: name } } },
        now,
      );
    }
    if (draft.active !== person.active) await setActive(tx, orgId, person.id, draft.active, by, now);
    const kept = {
      externalId: draft.externalId,
      userName: keptUserName(draft),
      givenName: draft.givenName,
      familyName: draft.familyName,
      managerId: draft.managerId,
    };
    await tx
      .insert(scimUsers)
      .values({ userId: person.id, orgId, ...kept })
      .onConflictDoUpdate({ target: scimUsers.userId, set: kept });
    if (draft.managerId && draft.managerId !== person.managerId)
      await placeManager(tx, orgId, person.id, draft.managerId, by, now);
  });
  return requireScimUser(db, orgId, person.id);
}

/** DELETE: the person is deactivated, not erased (their history and scores stay), and signed out. */
export async function deactivateScimUser(db: Handle, orgId: string, userId: string, by: AuditActor, now: Date) {
  await requireScimUser(db, orgId, userId);
  await setActive(db, orgId, userId, false, by, now);
}
