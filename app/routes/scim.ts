import { db } from "~/db/connection.server";
import type { Route } from "./+types/scim";
import { answerScim } from "~/features/scim/api.server";

// SCIM 2.0 provisioning (decision 034): an identity provider's server calls it with a bearer token
// of one organization; no session, no cookie and no page. Every method answers through one place.
export function loader({ request, params }: Route.LoaderArgs) {
  return answerScim(db(), request, params["*"] ?? "", new Date());
}

export function action({ request, params }: Route.ActionArgs) {
  return answerScim(db(), request, params["*"] ?? "", new Date());
}
