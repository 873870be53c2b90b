import { redirect } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/home";
import { optionalUser } from "~/features/auth/require-user.server";
import { homeFor } from "~/features/auth/navigation";
import { demoEnabled } from "~/features/ops/prepare.server";
import { organizationCount } from "~/features/people/organizations.server";

export async function loader(args: Route.LoaderArgs) {
  const user = optionalUser(args);
  if (user) throw redirect(homeFor(user.roles));
  if (!demoEnabled() && (await organizationCount(db())) === 0) throw redirect("/setup");
  throw redirect("/login");
}
