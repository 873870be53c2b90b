// The role-play forms inside a lesson page, parsed and carried out. The lesson route passes
// them here, so the route stays "who are you, which lesson, call the feature".
import { z } from "zod";
import type { Handle } from "~/db/connection.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { submitOnce } from "~/features/form-submissions.server";
import { firstMessage, parseForm, submissionField } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { chooseReply, replyToTurn, selfAssess, startFresh, submitOpenRoleplay } from "./roleplay-submissions.server";

const key = z
  .string({ error: "Say which role-play this is." })
  .regex(/^[a-z0-9-]{1,80}$/, { error: "That role-play does not exist." });
const schema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("roleplay-choose"),
    roleplay: key,
    reply: z.string({ error: "Pick a reply." }).regex(/^r\d{1,2}$/, { error: "Pick one of the replies." }),
    submission: submissionField,
  }),
  z.object({ intent: z.literal("roleplay-restart"), roleplay: key }),
  z.object({ intent: z.literal("roleplay-submit"), roleplay: key, submission: submissionField }),
  z.object({
    intent: z.literal("roleplay-reply"),
    roleplay: key,
    turn: z
      .string({ error: "Say which turn you are answering." })
      .regex(/^[a-z0-9-]{1,64}$/, { error: "That turn is not in this role-play." }),
    submission: submissionField,
  }),
  z.object({ intent: z.literal("roleplay-self"), roleplay: key }),
]);

export const ROLEPLAY_INTENTS = [
  "roleplay-choose",
  "roleplay-restart",
  "roleplay-submit",
  "roleplay-reply",
  "roleplay-self",
];

const RECORDING_ID = /^[a-z0-9]{10,40}$/;
const unattachable = (roleplay: string): RoleplayOutcome => ({
  ok: false,
  roleplay,
  error: "A recording could not be attached. Record it again.",
  status: 400,
});

/** Fields named `<prefix><id>`, e.g. reply-t1 or score-explore. */
function prefixed(form: FormData, prefix: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of form.entries()) {
    if (name.startsWith(prefix) && typeof value === "string") found.set(name.slice(prefix.length), value);
  }
  return found;
}

/** The page's key covers every form it renders: each role-play's form adds its own name. */
const formKey = (input: { intent: string; roleplay: string; submission: string; turn?: string }) =>
  `${input.submission}-${input.intent}-${input.roleplay}${input.turn ? `-${input.turn}` : ""}`;

export type RoleplayOutcome =
  { ok: true; roleplay: string } | { ok: false; roleplay: string | null; error: string; status: number };

export async function handleRoleplayForm(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  lesson: { id: string; title: string },
  form: FormData,
  now = new Date(),
): Promise<RoleplayOutcome> {
  const parsed = parseForm(form, schema);
  const named = typeof form.get("roleplay") === "string" ? String(form.get("roleplay")) : null;
  if (!parsed.ok) return { ok: false, roleplay: named, error: firstMessage(parsed.errors), status: 400 };
  const input = parsed.data;
  try {
    switch (input.intent) {
      // A reply sent twice is said once: the second would answer the next turn, or start over.
      case "roleplay-choose":
        await submitOnce(db, user, formKey(input), now, async (tx) => {
          const view = await chooseReply(tx, user, lesson.id, lesson.title, input.roleplay, input.reply, now);
          return view.submissionId!;
        });
        break;
      case "roleplay-restart":
        await startFresh(db, user, lesson.id, input.roleplay, now);
        break;
      case "roleplay-submit": {
        const texts = prefixed(form, "reply-");
        const recordingIds = prefixed(form, "recording-");
        // Built with fromEntries: a field named reply-__proto__ becomes a key, not the prototype.
        const entries: Array<[string, { text: string; recordingId: string | null }]> = [];
        for (const turnId of new Set([...texts.keys(), ...recordingIds.keys()])) {
          const recordingId = recordingIds.get(turnId) || null;
          if (recordingId && !RECORDING_ID.test(recordingId)) return unattachable(input.roleplay);
          entries.push([turnId, { text: texts.get(turnId) ?? "", recordingId }]);
        }
        const replies = Object.fromEntries(entries);
        await submitOnce(db, user, formKey(input), now, (tx) =>
          submitOpenRoleplay(tx, user, lesson.id, lesson.title, input.roleplay, replies, now),
        );
        break;
      }
      // One buyer turn at a time: the reply to the turn the page showed (decision 025).
      case "roleplay-reply": {
        const recording = form.get(`recording-${input.turn}`) ?? "";
        if (typeof recording !== "string" || (recording && !RECORDING_ID.test(recording)))
          return unattachable(input.roleplay);
        const recordingId = recording || null;
        const text = form.get(`reply-${input.turn}`);
        const given = { text: typeof text === "string" ? text : "", recordingId };
        await submitOnce(db, user, formKey(input), now, (tx) =>
          replyToTurn(tx, user, lesson.id, lesson.title, input.roleplay, input.turn, given, now),
        );
        break;
      }
      case "roleplay-self": {
        const scores = Object.fromEntries(
          [...prefixed(form, "score-")].map(([criterion, value]) => [criterion, Number(value)]),
        );
        await selfAssess(db, user, lesson.id, input.roleplay, scores);
        break;
      }
    }
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, roleplay: input.roleplay, error: error.message, status: error.status };
    throw error;
  }
  return { ok: true, roleplay: input.roleplay };
}
