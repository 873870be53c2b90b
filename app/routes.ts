import { index, layout, prefix, route, type RouteConfig } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("logout", "routes/logout.ts"),
  route("lesson-code/:file", "routes/lesson-code.ts"),
  layout("routes/public-layout.tsx", [
    route("login", "routes/login.tsx"),
    route("setup", "routes/setup.tsx"),
    route("invite/:token", "routes/invite.tsx"),
    route("forgot-password", "routes/forgot-password.tsx"),
    route("reset-password/:token", "routes/reset-password.tsx"),
  ]),
  layout("routes/app-layout.tsx", [
    route("today", "routes/today.tsx"),
    route("library", "routes/library.tsx"),
    route("learn/:module", "routes/learn-module.tsx"),
    route("learn/:module/:lesson", "routes/learn-lesson.tsx"),
    route("prep", "routes/prep.tsx"),
    route("progress", "routes/progress.tsx"),
    route("coach", "routes/coach.tsx"),
    route("insights", "routes/insights.tsx"),
    route("content", "routes/content.tsx"),
    route("account/password", "routes/account-password.tsx"),
    ...prefix("admin", [
      index("routes/admin/index.tsx"),
      route("users", "routes/admin/users.tsx"),
      route("users/:userId", "routes/admin/user.tsx"),
      route("teams", "routes/admin/teams.tsx"),
      route("teams/:teamId", "routes/admin/team.tsx"),
      route("outbox", "routes/admin/outbox.tsx"),
    ]),
  ]),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
