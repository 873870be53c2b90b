import { useLoaderData } from "react-router";
import type { Route } from "./+types/content";
import { requireUser } from "~/features/auth/require-user.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Content · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "content");
  return { firstName: user.name.split(" ")[0] };
}

export default function Page() {
  const { firstName } = useLoaderData<typeof loader>();
  return <PageHeader title="Content">Modules and lessons you author, {firstName}, will appear here.</PageHeader>;
}
