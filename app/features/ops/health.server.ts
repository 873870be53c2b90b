import { db } from "~/db/connection.server";
import { log } from "./log.server";

export function databaseHealth(): "ok" | "error" {
  try {
    db().$client.prepare("select 1").get();
    return "ok";
  } catch (error) {
    log.error({ err: error }, "health check: database unavailable");
    return "error";
  }
}
