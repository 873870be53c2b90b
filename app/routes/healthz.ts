import { databaseHealth, engineInUse } from "~/features/ops/health.server";

export async function loader() {
  const db = await databaseHealth();
  return Response.json(
    { ok: db === "ok", db, engine: engineInUse(), uptimeSeconds: Math.round(process.uptime()) },
    { status: db === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
