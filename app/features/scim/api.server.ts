// The SCIM 2.0 service at /scim/v2 (RFC 7644), one request at a time: the bearer token names the
// organization, the token's throttle is counted, the body is read with a cap and parsed as JSON,
// then the resource answers. Whatever goes wrong answers in SCIM's error format, never a page.
import type { Handle } from "~/db/connection.server";
import { hitThrottle, type ThrottleRule } from "~/features/auth/throttle.server";
import { Refusal } from "~/features/refusal";
import { readCapped } from "~/features/uploads.server";
import { log } from "~/shared/log.server";
import { MAX_SCIM_BODY_BYTES, resourceTypes, schemas, serviceProviderConfig } from "./discovery.server";
import { parseGroupFilter, parseUserFilter } from "./filter";
import {
  createScimGroup,
  emptyScimGroup,
  groupResource,
  listScimGroups,
  patchedGroup,
  readGroupBody,
  requireScimGroup,
  updateScimGroup,
} from "./groups.server";
import { readPatch } from "./patch";
import {
  excludesMembers,
  listResponse,
  pageOf,
  readObject,
  scimErrorResponse,
  ScimError,
  scimJson,
  scimNoContent,
  SCIM_MEDIA_TYPE,
} from "./protocol";
import { byScimToken, scimCaller, type ScimCaller } from "./tokens.server";
import {
  createScimUser,
  deactivateScimUser,
  draftOf,
  listScimUsers,
  readUserBody,
  requireScimUser,
  setUserAttribute,
  settleAddress,
  updateScimUser,
  userResource,
} from "./users.server";

/**
 * Requests a token may make: generous for a provider's sync (Entra's first cycle, an Okta push of a
 * big group), a ceiling for a leaked token or a looping client. FLYWHEEL_SCIM_REQUESTS_PER_MINUTE
 * changes it (the tests lower it to reach it quickly).
 */
export function scimThrottleRule(): ThrottleRule {
  const configured = Number(process.env.FLYWHEEL_SCIM_REQUESTS_PER_MINUTE);
  return { limit: Number.isInteger(configured) && configured > 0 ? configured : 600, windowMs: 60_000 };
}

type Context = { db: Handle; caller: ScimCaller; url: URL; now: Date };

/** Answers one SCIM request; `path` is what follows /scim/v2/. */
export async function answerScim(db: Handle, request: Request, path: string, now: Date): Promise<Response> {
  try {
    const caller = await scimCaller(db, request.headers.get("authorization"), now);
    if (!caller)
      throw new ScimError(
        401,
        "Send a SCIM token of your organization as Authorization: Bearer <token>. Admins make them on Admin › SCIM; a revoked token no longer works.",
        undefined,
        { "WWW-Authenticate": 'Bearer realm="Flywheel SCIM"' },
      );
    const verdict = await hitThrottle(db, [[`scim:token:${caller.tokenId}`, scimThrottleRule()]], now.getTime());
    if (!verdict.allowed)
      throw new ScimError(
        429,
        `Too many requests with this token. Try again in ${verdict.retryAfterSeconds} seconds.`,
        undefined,
        { "Retry-After": String(verdict.retryAfterSeconds) },
      );
    return await route({ db, caller, url: new URL(request.url), now }, request, path);
  } catch (error) {
    if (error instanceof ScimError) return scimErrorResponse(error);
    if (error instanceof Refusal) return scimErrorResponse(fromRefusal(error));
    log.error({ err: error, url: request.url, method: request.method }, "SCIM request failed");
    return scimErrorResponse(new ScimError(500, "Flywheel could not complete this request. Try it again."));
  }
}

function fromRefusal(refusal: Refusal): ScimError {
  const status = refusal.status === 410 || refusal.status === 411 || refusal.status === 422 ? 400 : refusal.status;
  return new ScimError(
    status,
    refusal.message,
    status === 409 ? "uniqueness" : status === 400 ? "invalidValue" : undefined,
  );
}

const notAllowed = (method: string, path: string) => new ScimError(405, `${path} does not take ${method}.`);

async function route(context: Context, request: Request, path: string): Promise<Response> {
  const segments = path.split("/").filter(Boolean);
  const [resource, id, extra] = segments;
  const method = request.method.toUpperCase();
  const where = `/${segments.join("/")}`;
  if (extra !== undefined || !resource) throw new ScimError(404, `There is nothing at ${where}.`);
  switch (resource.toLowerCase()) {
    case "serviceproviderconfig":
      if (id !== undefined) throw new ScimError(404, `There is nothing at ${where}.`);
      if (method !== "GET") throw notAllowed(method, where);
      return scimJson(serviceProviderConfig());
    case "resourcetypes":
    case "schemas": {
      if (method !== "GET") throw notAllowed(method, where);
      const read = resource.toLowerCase() === "schemas" ? schemas : resourceTypes;
      if (id !== undefined) return scimJson(read(decodeURIComponent(id)));
      const all = read() as unknown[];
      return scimJson(listResponse(all, all.length, 1));
    }
    case "users":
      return id === undefined ? users(context, request, method) : user(context, request, method, id);
    case "groups":
      return id === undefined ? groups(context, request, method) : group(context, request, method, id);
  }
  throw new ScimError(
    404,
    `There is nothing at ${where}: Flywheel serves Users, Groups, ServiceProviderConfig, ResourceTypes and Schemas.`,
  );
}

/** The request's JSON body: the right media type, at most MAX_SCIM_BODY_BYTES, well-formed. */
async function readBody(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== SCIM_MEDIA_TYPE && type !== "application/json")
    throw new ScimError(
      415,
      `Send the body as ${SCIM_MEDIA_TYPE} (or application/json)${type ? `, not ${type}` : ""}.`,
      "invalidSyntax",
    );
  const tooLarge = () => new Refusal(`The body is larger than ${MAX_SCIM_BODY_BYTES / 1024} KB.`, 413);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_SCIM_BODY_BYTES) throw tooLarge();
  const bytes = await readCapped(request.body, MAX_SCIM_BODY_BYTES, tooLarge);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ScimError(400, "The body is not UTF-8 text.", "invalidSyntax");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, "The body is not valid JSON.", "invalidSyntax");
  }
}

async function users({ db, caller, url, now }: Context, request: Request, method: string): Promise<Response> {
  if (method === "GET") {
    const filter = url.searchParams.get("filter");
    const page = pageOf(url);
    const { people, total } = await listScimUsers(db, caller.orgId, filter ? parseUserFilter(filter) : null, page);
    return scimJson(listResponse(people.map(userResource), total, page.startIndex));
  }
  if (method === "POST") {
    const draft = readUserBody(await readBody(request));
    const person = await createScimUser(db, caller.orgId, draft, byScimToken(caller), now);
    const resource = userResource(person);
    return scimJson(resource, 201, { Location: resource.meta.location });
  }
  throw notAllowed(method, "/Users");
}

async function user({ db, caller, now }: Context, request: Request, method: string, id: string): Promise<Response> {
  const by = byScimToken(caller);
  if (method === "GET") return scimJson(userResource(await requireScimUser(db, caller.orgId, id)));
  if (method === "DELETE") {
    await deactivateScimUser(db, caller.orgId, id, by, now);
    return scimNoContent();
  }
  if (method === "PUT") {
    const body = await readBody(request);
    const person = await requireScimUser(db, caller.orgId, id);
    const draft = readUserBody(body);
    return scimJson(userResource(await updateScimUser(db, caller.orgId, person, draft, by, now)));
  }
  if (method === "PATCH") {
    const operations = readPatch(await readBody(request));
    const person = await requireScimUser(db, caller.orgId, id);
    const draft = draftOf(person);
    for (const { op, path, value } of operations) {
      if (path !== null) setUserAttribute(draft, path, op === "remove" ? undefined : value);
      else
        for (const [key, inner] of Object.entries(readObject(value, "A PATCH value without a path")))
          setUserAttribute(draft, key, inner);
    }
    settleAddress(draft);
    return scimJson(userResource(await updateScimUser(db, caller.orgId, person, draft, by, now)));
  }
  throw notAllowed(method, `/Users/${id}`);
}

async function groups({ db, caller, url, now }: Context, request: Request, method: string): Promise<Response> {
  if (method === "GET") {
    const filter = url.searchParams.get("filter");
    const page = pageOf(url);
    const withMembers = !excludesMembers(url);
    const found = await listScimGroups(db, caller.orgId, filter ? parseGroupFilter(filter) : null, page, withMembers);
    return scimJson(
      listResponse(
        found.teams.map((t) => groupResource(t, withMembers)),
        found.total,
        page.startIndex,
      ),
    );
  }
  if (method === "POST") {
    const input = readGroupBody(await readBody(request));
    const team = await createScimGroup(db, caller.orgId, input, byScimToken(caller), now);
    const resource = groupResource(team);
    return scimJson(resource, 201, { Location: resource.meta.location });
  }
  throw notAllowed(method, "/Groups");
}

async function group(
  { db, caller, url, now }: Context,
  request: Request,
  method: string,
  id: string,
): Promise<Response> {
  const by = byScimToken(caller);
  if (method === "GET")
    return scimJson(groupResource(await requireScimGroup(db, caller.orgId, id), !excludesMembers(url)));
  if (method === "DELETE") {
    await emptyScimGroup(db, caller.orgId, id, by, now);
    return scimNoContent();
  }
  if (method === "PUT" || method === "PATCH") {
    const body = await readBody(request);
    const team = await requireScimGroup(db, caller.orgId, id);
    const input = method === "PUT" ? readGroupBody(body) : patchedGroup(team, readPatch(body));
    const updated = await updateScimGroup(db, caller.orgId, team, input, by, now);
    // Entra and Okta take 204 for a PATCH of members; the group is sent back when asked with GET.
    return method === "PATCH" ? scimNoContent() : scimJson(groupResource(updated));
  }
  throw notAllowed(method, `/Groups/${id}`);
}
