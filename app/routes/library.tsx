import { useLoaderData } from "react-router";
import type { Route } from "./+types/library";
import { requireUser } from "~/features/auth/require-user.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Library · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  return { firstName: user.name.split(" ")[0] };
}

export default function Page() {
  const { firstName } = useLoaderData<typeof loader>();
  return (
    <PageHeader title="Library">
      Short lessons on questioning, listening, negotiation and prospecting, {firstName}.
    </PageHeader>
  );
}
