import { Form, Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/library";
import { requireUser } from "~/features/auth/require-user.server";
import { listModules, narrowModules, searchLessons } from "~/features/content/catalog.server";
import { SKILLS, STAGES } from "~/features/content/frontmatter";
import { SlugSelect } from "~/ui/form";
import { slugLabel } from "~/ui/format";
import { Highlighted } from "~/ui/highlight";
import { LessonStatusBadge, ModuleProgress } from "~/ui/progress";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Library · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const params = new URL(args.request.url).searchParams;
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const skill = params.get("skill") ?? "";
  const stage = params.get("stage") ?? "";
  const filter = {
    skill: skill || undefined,
    stage: (STAGES as readonly string[]).includes(stage) ? stage : undefined,
  };
  const all = await listModules(db(), user);
  const modules = narrowModules(all, filter);
  const skills = [...new Set([...SKILLS, ...all.map((m) => m.skill)])];
  return {
    q,
    skill,
    stage: filter.stage ?? "",
    skills,
    stages: STAGES,
    modules,
    hits: q ? await searchLessons(db(), user, q) : null,
  };
}

export default function Library() {
  const { q, skill, stage, skills, stages, modules, hits } = useLoaderData<typeof loader>();
  const bySkill = skills
    .map((s) => ({ skill: s, modules: modules.filter((m) => m.skill === s) }))
    .filter((g) => g.modules.length > 0);
  return (
    <div>
      <PageHeader title="Library">Five-minute lessons you can use on your next call.</PageHeader>
      <Form method="get" role="search" className="card mb-6 grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end">
        <div>
          <label htmlFor="library-q" className="label">
            Search lessons
          </label>
          <input
            id="library-q"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="e.g. price objection, silence, referral"
            className="field"
          />
        </div>
        <SlugSelect
          id="library-skill"
          name="skill"
          label="Skill"
          options={skills}
          value={skill}
          emptyLabel="All skills"
        />
        <SlugSelect
          id="library-stage"
          name="stage"
          label="Sales stage"
          options={stages}
          value={stage}
          emptyLabel="Any stage"
        />
        <button type="submit" className="btn">
          Show
        </button>
      </Form>

      {hits ? (
        <section aria-labelledby="search-results" className="mb-8">
          <h2 id="search-results" className="mb-3 text-lg font-semibold">
            {hits.length === 0
              ? `No lesson mentions “${q}”`
              : `${hits.length} lesson${hits.length === 1 ? "" : "s"} for “${q}”`}
          </h2>
          <ol className="flex flex-col gap-3">
            {hits.map((hit) => (
              <li key={`${hit.moduleSlug}/${hit.slug}`} className="card">
                <Link to={`/learn/${hit.moduleSlug}/${hit.slug}`} className="font-semibold">
                  <Highlighted text={hit.title} />
                </Link>
                <p className="text-sm text-slate-600">
                  {hit.moduleTitle} · {hit.minutes} min <LessonStatusBadge status={hit.status} />
                </p>
                <p className="mt-1 text-sm text-slate-800">
                  <Highlighted text={hit.snippet} />
                </p>
                {hit.matched.length ? (
                  <p className="mt-1 text-xs text-slate-600">Matched: {hit.matched.join(", ")}</p>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {bySkill.length === 0 ? (
        <p className="card text-slate-700">No lessons match these filters. Try another stage or skill.</p>
      ) : null}
      {bySkill.map((group) => (
        <section key={group.skill} aria-labelledby={`skill-${group.skill}`} className="mb-8">
          <h2 id={`skill-${group.skill}`} className="mb-3 text-lg font-semibold">
            {slugLabel(group.skill)}
          </h2>
          <div className="grid gap-4 md:grid-cols-2">
            {group.modules.map((module) => (
              <article key={module.id} className="card">
                <h3 className="text-lg font-semibold">
                  <Link to={`/learn/${module.slug}`}>{module.title}</Link>
                </h3>
                <p className="mb-3 text-sm text-slate-600">{module.summary}</p>
                <ModuleProgress completed={module.completed} total={module.total} />
                <ul className="mt-3 flex flex-col gap-1 text-sm">
                  {module.lessons.map((lesson) => (
                    <li key={lesson.id} className="flex flex-wrap items-center gap-2">
                      <Link to={`/learn/${module.slug}/${lesson.slug}`}>{lesson.title}</Link>
                      <span className="text-slate-500">{lesson.minutes} min</span>
                      <LessonStatusBadge status={lesson.status} />
                    </li>
                  ))}
                </ul>
              </article>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
