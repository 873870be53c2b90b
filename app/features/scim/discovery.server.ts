// What a provider reads to learn what Flywheel's SCIM service does (RFC 7644 §4): its features,
// its two resource types and their schemas. The schemas are scimmy's definitions of RFC 7643's
// User, Group and enterprise extension, so their attributes are the standard's, word for word.
import SCIMMY from "scimmy";
import { appUrl } from "~/shared/app-origin.server";
import { MAX_COUNT, SCHEMA, ScimError } from "./protocol";

export const SCIM_BASE_PATH = "/scim/v2";

/** The largest request body a SCIM request may carry. */
export const MAX_SCIM_BODY_BYTES = 512 * 1024;

export function serviceProviderConfig() {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri: appUrl("/admin/scim"),
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: MAX_SCIM_BODY_BYTES },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "A token made on Flywheel's Admin › SCIM page, sent as Authorization: Bearer <token>.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: appUrl(`${SCIM_BASE_PATH}/ServiceProviderConfig`) },
  };
}

const RESOURCE_TYPES = {
  User: {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "A person of the organization",
    schema: SCHEMA.user,
    schemaExtensions: [{ schema: SCHEMA.enterpriseUser, required: false }],
  },
  Group: {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: "A team of the organization",
    schema: SCHEMA.group,
  },
};

const withMeta = (resource: { id: string }, type: string, path: string) => ({
  ...resource,
  meta: { resourceType: type, location: appUrl(`${SCIM_BASE_PATH}/${path}/${resource.id}`) },
});

export function resourceTypes(id?: string) {
  const all = Object.values(RESOURCE_TYPES).map((r) => withMeta(r, "ResourceType", "ResourceTypes"));
  if (id === undefined) return all;
  const found = all.find((r) => r.id === id);
  if (!found) throw new ScimError(404, `There is no resource type ${id}: Flywheel has User and Group.`);
  return found;
}

const DEFINITIONS = [SCIMMY.Schemas.User, SCIMMY.Schemas.Group, SCIMMY.Schemas.EnterpriseUser];

export function schemas(id?: string) {
  const all = DEFINITIONS.map((s) => withMeta(s.definition.describe() as { id: string }, "Schema", "Schemas"));
  if (id === undefined) return all;
  const found = all.find((s) => s.id === id);
  if (!found) throw new ScimError(404, `There is no schema ${id}.`);
  return found;
}

/** The attribute names a schema defines, lower-cased: a request naming another is refused. */
export function attributeNames(schema: "user" | "group" | "enterpriseUser"): Set<string> {
  const definition = {
    user: SCIMMY.Schemas.User,
    group: SCIMMY.Schemas.Group,
    enterpriseUser: SCIMMY.Schemas.EnterpriseUser,
  }[schema].definition.describe() as { attributes: Array<{ name: string }> };
  return new Set(definition.attributes.map((a) => a.name.toLowerCase()));
}
