// Each feature's demo history, in the order it is written after the demo people exist.
import { seedCoachingHistory } from "./coaching-history.server";
import { seedLearningHistory } from "./learning-history.server";
import type { DemoOrg } from "./seed.server";

export const DEMO_HISTORY: Array<(org: DemoOrg, now: Date) => void> = [seedLearningHistory, seedCoachingHistory];
