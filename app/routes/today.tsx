import { useLoaderData } from "react-router";
import type { Route } from "./+types/today";
import { requireUser } from "~/features/auth/require-user.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Today · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, { role: "rep" });
  return { firstName: user.name.split(" ")[0] };
}

export default function Page() {
  const { firstName } = useLoaderData<typeof loader>();
  return (
    <PageHeader title="Today">
      Good to see you, {firstName}. Your daily boost and assignments will appear here.
    </PageHeader>
  );
}
