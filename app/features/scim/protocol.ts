// SCIM's wire format (RFC 7644): its media type, its error messages and its list responses. Every
// answer under /scim/v2 is one of these, errors included, never an HTML page.

export const SCIM_MEDIA_TYPE = "application/scim+json";

export const SCHEMA = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  enterpriseUser: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
} as const;

/** The scimType values of RFC 7644 §3.12 that Flywheel answers with. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue";

/** A request Flywheel refuses, with the words and status its SCIM error carries. */
export class ScimError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 501 | 503,
    message: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ScimError";
  }
}

const HEADERS = { "Content-Type": `${SCIM_MEDIA_TYPE}; charset=utf-8`, "Cache-Control": "no-store" };

/** A SCIM resource or message as the answer, with its status (and Location for a created one). */
export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, ...headers } });
}

export function scimNoContent(): Response {
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}

/** The error message of RFC 7644 §3.12: status as a string, scimType where one fits. */
export function scimErrorResponse(error: ScimError): Response {
  return scimJson(
    {
      schemas: [SCHEMA.error],
      status: String(error.status),
      ...(error.scimType ? { scimType: error.scimType } : {}),
      detail: error.message,
    },
    error.status,
    error.headers,
  );
}

export function listResponse(resources: unknown[], totalResults: number, startIndex: number): unknown {
  return {
    schemas: [SCHEMA.listResponse],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** The page a list asks for: startIndex is 1-based (below 1 reads as 1), count at most MAX_COUNT. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 200;

export function pageOf(url: URL): { startIndex: number; count: number } {
  const whole = (name: string, fallback: number) => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw.trim() === "") return fallback;
    if (!/^-?\d{1,9}$/.test(raw.trim()))
      throw new ScimError(400, `${name} must be a whole number; “${raw.slice(0, 40)}” is not.`, "invalidValue");
    return Number(raw);
  };
  return {
    startIndex: Math.max(1, whole("startIndex", 1)),
    count: Math.min(MAX_COUNT, Math.max(0, whole("count", DEFAULT_COUNT))),
  };
}

/** Whether a list answer leaves out its groups' members (`excludedAttributes=members`, as Okta and Entra ask). */
export function excludesMembers(url: URL): boolean {
  const excluded = (url.searchParams.get("excludedAttributes") ?? "").split(",").map((a) => a.trim().toLowerCase());
  const only = url.searchParams.get("attributes");
  return (
    excluded.includes("members") ||
    (only !== null &&
      !only
        .split(",")
        .map((a) => a.trim().toLowerCase())
        .includes("members"))
  );
}

/** A SCIM boolean as providers send it: true/false, or Entra's strings "True"/"False". */
export function readBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw new ScimError(400, `${attribute} must be true or false.`, "invalidValue");
}

/** A string attribute, trimmed; `null` when absent or empty. */
export function readString(value: unknown, attribute: string, maxLength = 200): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new ScimError(400, `${attribute} must be a string.`, "invalidValue");
  const trimmed = value.trim();
  if (trimmed.length > maxLength)
    throw new ScimError(400, `${attribute} is longer than ${maxLength} characters.`, "invalidValue");
  return trimmed === "" ? null : trimmed;
}

/** A plain JSON object (not an array, not null), or the error that says what was expected. */
export function readObject(value: unknown, what: string): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ScimError(400, `${what} must be a JSON object.`, "invalidSyntax");
}

/** An object's attribute by name, case-insensitively (SCIM attribute names are). */
export function attribute(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}
