// A PATCH request's operations (RFC 7644 §3.5.2), read strictly but in every shape Okta and Entra
// ID send them: `op` in any case ("Replace", "replace"), a path, or no path and an object of
// attributes as the value.
import { attribute, readObject, SCHEMA, ScimError } from "./protocol";

export type PatchOperation = { op: "add" | "replace" | "remove"; path: string | null; value: unknown };

export const MAX_OPERATIONS = 1_000;

export function readPatch(body: unknown): PatchOperation[] {
  const object = readObject(body, "The request body");
  const schemas = attribute(object, "schemas");
  if (!Array.isArray(schemas) || !schemas.includes(SCHEMA.patchOp))
    throw new ScimError(400, `A PATCH request's schemas must be ["${SCHEMA.patchOp}"].`, "invalidSyntax");
  const operations = attribute(object, "Operations");
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimError(400, "A PATCH request needs a list of Operations.", "invalidSyntax");
  if (operations.length > MAX_OPERATIONS)
    throw new ScimError(400, `A PATCH request may have at most ${MAX_OPERATIONS} operations.`, "tooMany");
  return operations.map((raw, index) => {
    const operation = readObject(raw, `Operation ${index + 1}`);
    const op = String(attribute(operation, "op") ?? "").toLowerCase();
    if (op !== "add" && op !== "replace" && op !== "remove")
      throw new ScimError(400, `Operation ${index + 1}: op must be add, replace or remove.`, "invalidSyntax");
    const path = attribute(operation, "path");
    if (path !== undefined && (typeof path !== "string" || path.trim() === ""))
      throw new ScimError(400, `Operation ${index + 1}: path must be a non-empty string.`, "invalidPath");
    const value = attribute(operation, "value");
    if (op !== "remove" && value === undefined)
      throw new ScimError(400, `Operation ${index + 1}: ${op} needs a value.`, "invalidSyntax");
    if (op === "remove" && path === undefined)
      throw new ScimError(400, `Operation ${index + 1}: remove needs a path.`, "noTarget");
    return { op, path: typeof path === "string" ? path.trim() : null, value };
  });
}
