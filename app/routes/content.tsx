import { Link, useLoaderData } from "react-router";
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
  return (
    <div>
      <PageHeader title="Content">Modules and lessons you author, {firstName}, will appear here.</PageHeader>
      <section className="card" aria-labelledby="content-next-heading">
        <h2 id="content-next-heading" className="text-lg font-semibold">
          Nothing of your own yet
        </h2>
        <p className="mt-1 text-slate-700">
          Your reps already have the built-in library: questioning, listening and negotiation, with quizzes and
          role-plays.{" "}
          <Link className="underline" to="/library">
            Browse the library
          </Link>{" "}
          to see what they learn, and assign a module from Coaching.
        </p>
      </section>
    </div>
  );
}
