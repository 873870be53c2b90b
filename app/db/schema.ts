// The tables of the engine this process runs on. Feature code is written once, against the
// SQLite definitions' types; on PostgreSQL the same names are schema.pg.ts's tables, which the
// parity test (tests/unit/schema-parity.test.ts) holds to the same columns, keys and indexes.
import { ENGINE } from "./engine";
import * as pg from "./schema.pg";
import * as sqlite from "./schema.sqlite";

export * from "./model";

const active = (ENGINE === "postgres" ? pg : sqlite) as unknown as typeof sqlite;

export const {
  organizations,
  users,
  userRoles,
  teams,
  teamMembers,
  sessions,
  knownDevices,
  invitations,
  passwordResets,
  throttles,
  outbox,
  modules,
  lessons,
  lessonVersions,
  questions,
  roleplays,
  lessonDrafts,
  contentImages,
  lessonProgress,
  attempts,
  moduleCompletions,
  lessonRatings,
  questionTallies,
  choiceTallies,
  creditTallies,
  recallTallies,
  statements,
  dailyActivity,
  cards,
  reviewLogs,
  boosts,
  parameterTrainings,
  reminderPreferences,
  vacations,
  digestSends,
  answerLinks,
  serverKeys,
  pushSubscriptions,
  pushSends,
  roleplaySubmissions,
  recordings,
  notifications,
  nudges,
  assignments,
  assignmentReps,
  retentionSnapshots,
  formSubmissions,
  auditEvents,
  scimTokens,
  scimUsers,
  ssoConnections,
  ssoDomains,
  ssoLogins,
  ssoIdentities,
} = active;
