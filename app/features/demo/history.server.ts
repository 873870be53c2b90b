// Each feature's demo history, in the order it is written after the demo people exist. A step
// runs in a transaction of its own and does all its work on it (`tx`); `now` is the demo's today.
import type { Transaction } from "~/db/connection.server";
import { seedCoachingHistory } from "./coaching-history.server";
import { seedLearningHistory } from "./learning-history.server";
import type { DemoOrg } from "./demo-org";

export const DEMO_HISTORY: Array<(tx: Transaction, org: DemoOrg, now: Date) => Promise<void>> = [
  seedLearningHistory,
  seedCoachingHistory,
];
