// Names and shapes both schemas share (schema.sqlite.ts, schema.pg.ts), safe to import from
// components: no driver, no table definitions.

export const ROLES = ["rep", "manager", "trainer", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const TEAM_ROLES = ["member", "manager"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
/**
 * A person's places in a team their invitation names: a rep joins it as a member, a manager
 * manages it, a player-coach does both. Trainers and admins alone have no place in a team.
 */
export function teamRolesFor(roles: readonly Role[]): TeamRole[] {
  return TEAM_ROLES.filter((place) => roles.includes(place === "member" ? "rep" : "manager"));
}
/** Content belongs to the built-in library (owner "library") or to one organization (its id). */
export const LIBRARY_OWNER = "library";
export type StoredChoice = { id: string; text: string; correct: boolean; explanation: string };
export type StoredReply = { id: string; text: string; points: number; feedback: string; next: string | null };
export type StoredTurn = { id: string; buyer: string; hint: string | null; replies: StoredReply[] };
export type StoredCriterion = { id: string; name: string; weight: number; levels: string[] };
export const ANSWER_CONTEXTS = ["lesson", "boost", "prep"] as const;
export type BranchStep = { turnId: string; replyId: string; points: number };
export type OpenReply = { turnId: string; text: string; recordingId: string | null };
/** A rep's progress in one lesson, read from lesson_progress (no row: "new"). */
export type LessonStatus = "new" | "started" | "completed";
export const ROLEPLAY_STATUSES = ["in_progress", "submitted", "reviewed"] as const;
export const ASSIGNMENT_KINDS = ["lesson", "module", "roleplay"] as const;
/**
 * A parameter training's course: queued (asked for), running, then kept or discarded (trained
 * and judged), skipped (too little history) or failed (an error, or the server stopped).
 */
export const TRAINING_STATUSES = ["queued", "running", "kept", "discarded", "skipped", "failed"] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];
/** What a push notification is about: at most one of each a day per rep and device, except tests. */
export const PUSH_KINDS = ["boost", "assignment", "review", "test"] as const;
export type PushKind = (typeof PUSH_KINDS)[number];
/**
 * A push's course (decision 036): queued (waiting for its time), sending (claimed by one
 * process), then sent, gone (the push service no longer knows the device), failed (refused, or
 * out of retries) or unknown (the send began and no answer came: never repeated).
 */
export const PUSH_STATUSES = ["queued", "sending", "sent", "gone", "failed", "unknown"] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];
/**
 * Where a change recorded in the audit trail came from: an admin's page, a people import, and
 * later the identity provider's provisioning (SCIM) and single sign-on.
 */
export const AUDIT_SOURCES = ["admin page", "import", "scim", "sso"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];
/** What an audit event is about. */
export const AUDIT_SUBJECTS = ["user", "invitation", "team", "organization", "import", "token"] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];
