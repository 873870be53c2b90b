import { redirect } from "react-router";
import type { Route } from "./+types/index";
import { requireUser } from "~/features/auth/require-user.server";

export function loader(args: Route.LoaderArgs) {
  requireUser(args, "admin");
  throw redirect("/admin/users");
}

// A page, not a resource route: a refusal here renders inside the signed-in shell (its
// ErrorBoundary) instead of answering raw JSON. The loader always redirects or refuses.
export default function AdminIndex() {
  return null;
}
