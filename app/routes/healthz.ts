import { databaseHealth } from "~/features/ops/health.server";

export function loader() {
  const db = databaseHealth();
  return Response.json({ ok: db === "ok", db, uptimeSeconds: Math.round(process.uptime()) }, { status: db === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
