import { useLoaderData } from "react-router";
import type { Route } from "./+types/coach";
import { requireUser } from "~/features/auth/require-user.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Coaching · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, { role: "manager" });
  return { firstName: user.name.split(" ")[0] };
}

export default function Page() {
  const { firstName } = useLoaderData<typeof loader>();
  return (
    <PageHeader title="Coaching">
      Role-play reviews and assignments for your teams, {firstName}, will appear here.
    </PageHeader>
  );
}
