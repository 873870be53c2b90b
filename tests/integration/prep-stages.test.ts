// Call prep by stage (issue 19, decision 022): for every stage of the deal, the warm-up that /prep
// shows offers lessons written for that moment, ones that carry the stage as their first or second
// tag, from the real built-in library synced into this file's database.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { LIBRARY_OWNER, lessons, modules } from "~/db/schema";
import { prepareForCall } from "~/features/content/catalog.server";
import { STAGES } from "~/features/content/frontmatter";
import { syncLibrary } from "~/features/content/sync.server";
import { makeOrg, makeUser } from "../support/people";

let reader: { id: string; orgId: string };
beforeAll(async () => {
  await syncLibrary(db());
  reader = await makeUser((await makeOrg()).id, ["rep"]);
});

async function stagesOf(moduleSlug: string, slug: string): Promise<string[]> {
  const row = await first(
    db()
      .select({ stages: lessons.stages })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(and(eq(modules.owner, LIBRARY_OWNER), eq(modules.slug, moduleSlug), eq(lessons.slug, slug)))
      .limit(1),
  );
  return row!.stages;
}

describe("call prep by stage", () => {
  it.each(STAGES)("prep for “%s” offers lessons that carry it as their first or second stage", async (stage) => {
    const warmup = await prepareForCall(db(), reader, stage);
    expect(warmup.length, `no lesson for ${stage}`).toBeGreaterThan(0);
    for (const lesson of warmup) {
      const stages = await stagesOf(lesson.moduleSlug, lesson.slug);
      expect(stages.slice(0, 2), `${lesson.moduleSlug}/${lesson.slug}: ${stages.join(", ")}`).toContain(stage);
    }
  });
});
