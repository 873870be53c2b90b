import { Form, Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/prep";
import { requireUser } from "~/features/auth/require-user.server";
import { prepareForCall } from "~/features/content/catalog.server";
import { SKILLS, STAGES } from "~/features/content/frontmatter";
import { SlugSelect } from "~/ui/form";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Prep for a call · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "prep");
  const params = new URL(args.request.url).searchParams;
  const stage = params.get("stage") ?? "";
  const skill = params.get("skill") ?? "";
  const validStage = (STAGES as readonly string[]).includes(stage) ? stage : "";
  const validSkill = (SKILLS as readonly string[]).includes(skill) ? skill : "";
  return {
    stage: validStage,
    skill: validSkill,
    warmup: validStage ? await prepareForCall(db(), user, validStage, validSkill || undefined) : null,
  };
}

export default function Prep() {
  const { stage, skill, warmup } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Prep for a call">Tell us what's coming and get a five-minute warm-up.</PageHeader>
      <Form method="get" className="card grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <SlugSelect
          id="prep-stage"
          name="stage"
          label="The conversation is about"
          options={STAGES}
          value={stage}
          emptyLabel="Choose a moment…"
          required
        />
        <SlugSelect
          id="prep-skill"
          name="skill"
          label="Skill to sharpen (optional)"
          options={SKILLS}
          value={skill}
          emptyLabel="Any"
        />
        <button type="submit" className="btn">
          Warm me up
        </button>
      </Form>
      {warmup && warmup.length === 0 ? (
        <p className="card mt-6">No lesson covers that yet. Try another skill or “Any”.</p>
      ) : null}
      {warmup && warmup.length > 0 ? (
        <ol className="mt-6 flex flex-col gap-4">
          {warmup.map((item) => (
            <li key={`${item.moduleSlug}/${item.slug}`} className="card">
              <h2 className="text-lg font-semibold">
                <Link to={`/learn/${item.moduleSlug}/${item.slug}`}>{item.title}</Link>
              </h2>
              <ul className="mt-2 list-disc pl-5">
                {item.keyPoints.map((point, i) => (
                  <li key={i} className="my-1">
                    {point}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
