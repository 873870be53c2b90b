import { useLoaderData } from "react-router";
import type { Route } from "./+types/progress";
import { requireUser } from "~/features/auth/require-user.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Progress · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, { role: "rep" });
  return { firstName: user.name.split(" ")[0] };
}

export default function Page() {
  const { firstName } = useLoaderData<typeof loader>();
  return (
    <PageHeader title="Progress">
      {firstName}, your progress per skill will appear here once you have answered some questions.
    </PageHeader>
  );
}
