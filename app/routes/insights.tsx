import { useLoaderData } from "react-router";
import type { Route } from "./+types/insights";
import { requireUser } from "~/features/auth/require-user.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Insights · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, { role: ["manager", "admin"] });
  return { firstName: user.name.split(" ")[0] };
}

export default function Page() {
  const { firstName } = useLoaderData<typeof loader>();
  return (
    <PageHeader title="Insights">
      Adoption and reinforcement dashboards for your teams, {firstName}, will appear here.
    </PageHeader>
  );
}
