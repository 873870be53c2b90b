import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/learn-module";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { listModules } from "~/features/content/catalog.server";
import { currentStreak, lessonDone } from "~/features/learning/progress-report.server";
import { LessonDoneNote } from "~/ui/lesson-done";
import { LessonStatusBadge, ModuleProgress } from "~/ui/progress";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.module.title ?? "Module"} · Flywheel` }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const module = (await listModules(db(), user, { moduleSlug: args.params.module }))[0];
  if (!module) throw notFound("We couldn't find that module.");
  const now = new Date();
  // After the module's last lesson: what was done, said once (?finished=slug, one of this module's lessons).
  const slug = new URL(args.request.url).searchParams.get("finished");
  const lesson = slug ? module.lessons.find((l) => l.slug === slug) : undefined;
  const [done, streak] = lesson
    ? await Promise.all([lessonDone(db(), user, lesson), currentStreak(db(), user, now)])
    : [null, 0];
  return { module, finished: done ? { done, streak } : null, now, timezone: user.timezone };
}

export default function ModulePage() {
  const { module, finished, now, timezone } = useLoaderData<typeof loader>();
  const minutes = module.lessons.reduce((n, l) => n + l.minutes, 0);
  return (
    <div className="mx-auto max-w-2xl">
      {finished ? (
        <LessonDoneNote
          done={finished.done}
          streak={finished.streak}
          moduleDone={module.completed === module.total ? module.title : null}
          now={now}
          timezone={timezone}
          dismiss={`/learn/${module.slug}`}
        />
      ) : null}
      <p className="text-sm">
        <Link to="/library">← Library</Link>
      </p>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{module.title}</h1>
      <p className="mt-2 text-slate-700">{module.summary}</p>
      <div className="mt-3">
        <ModuleProgress completed={module.completed} total={module.total} />
        <p className="mt-1 text-sm text-slate-600">
          {module.lessons.length} lessons · about {minutes} minutes in all
        </p>
      </div>
      <ol className="mt-6 flex flex-col gap-3">
        {module.lessons.map((lesson, i) => (
          <li key={lesson.id} className="card flex items-start gap-3">
            <span className="mt-0.5 w-6 shrink-0 text-right font-semibold text-slate-500">{i + 1}</span>
            <div className="min-w-0 flex-1">
              <Link to={`/learn/${module.slug}/${lesson.slug}`} className="font-semibold">
                {lesson.title}
              </Link>
              <p className="text-sm text-slate-600">{lesson.summary}</p>
              <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                <span>{lesson.minutes} min</span>
                <LessonStatusBadge status={lesson.status} />
              </p>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
