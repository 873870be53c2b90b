import { redirect } from "react-router";
import type { Route } from "./+types/index";
import { requireUser } from "~/features/auth/require-user.server";

export function loader(args: Route.LoaderArgs) {
  requireUser(args, { role: "admin" });
  throw redirect("/admin/users");
}
