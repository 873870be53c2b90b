import { engineName, pingDatabase } from "~/db/connection.server";
import { log } from "~/shared/log.server";

export async function databaseHealth(): Promise<"ok" | "error"> {
  try {
    await pingDatabase();
    return "ok";
  } catch (error) {
    log.error({ err: error }, "health check: database unavailable");
    return "error";
  }
}

/** Which engine this server runs on ("sqlite" or "postgres"), for /healthz and the logs. */
export const engineInUse = engineName;
