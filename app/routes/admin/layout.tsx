import { Outlet } from "react-router";
import type { Route } from "./+types/layout";
import { requireUser } from "~/features/auth/require-user.server";
import { AdminTabs } from "~/ui/section-tabs";
import { PageHeader } from "~/ui/page";

// The admin pages' heading and tabs, once. Each page still checks its own loader and action
// (an action runs without its parents' loaders); this check keeps the frame itself admin-only.
// A refusal here has no boundary of its own: it renders inside the signed-in shell (app-pages.tsx).
export function loader(args: Route.LoaderArgs) {
  requireUser(args, "admin");
  return null;
}

export default function AdminLayout() {
  return (
    <div>
      <PageHeader title="Admin" />
      <AdminTabs />
      <Outlet />
    </div>
  );
}
