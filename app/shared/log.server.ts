import pino from "pino";

// JSON lines on stdout; LOG_LEVEL=silent quiets tests.
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { pid: process.pid },
});
