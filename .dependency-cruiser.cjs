// The import layers of app/, checked by `npm run lint:deps` (docs/decisions/014-import-layers.md):
//
//   routes (app/routes, root.tsx, entry.server.tsx, routes.ts)
//     → features (app/features/**)
//       → lesson-kit → ui
//         → shared (app/shared) and db (app/db)
//
// Each layer imports only what is beneath it, and no two modules or folders import each other,
// however long the way round.

/** The top of the graph: route modules and the files React Router starts from. */
const ROUTES = "^app/(routes/|root\\.tsx$|entry\\.server\\.tsx$|routes\\.ts$)";
const FEATURES = "^app/features/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Two modules reach each other: pull what both need into a lower module.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-circle",
      comment:
        "Two folders reach each other (features/auth ↔ features/people, say), even when no single module " +
        "does: decide which one is beneath and move the piece that points back up.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "features-not-routes",
      comment: "A feature is called by routes; it never imports one.",
      severity: "error",
      from: { path: FEATURES },
      to: { path: ROUTES },
    },
    {
      name: "lesson-kit-beneath-features",
      comment: "The lesson kit renders what features hand it; the shapes it reads live in lesson-kit itself.",
      severity: "error",
      from: { path: "^app/lesson-kit/" },
      to: { path: [FEATURES, ROUTES] },
    },
    {
      name: "ui-beneath-lesson-kit",
      comment: "ui is the shared design system: no features, no routes, no lesson kit (the kit uses ui).",
      severity: "error",
      from: { path: "^app/ui/" },
      to: { path: [FEATURES, ROUTES, "^app/lesson-kit/"] },
    },
    {
      name: "shared-at-the-bottom",
      comment: "app/shared is what every layer may use; it may use only db.",
      severity: "error",
      from: { path: "^app/shared/" },
      to: { path: "^app/", pathNot: "^app/(shared|db)/" },
    },
    {
      name: "db-only-db",
      comment: "The data layer knows nothing of the app above it.",
      severity: "error",
      from: { path: "^app/db/" },
      to: { path: "^app/", pathNot: "^app/db/" },
    },
  ],
  options: {
    // Only the app's own modules are judged; packages are leaves.
    includeOnly: "^app/",
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: a type pointing up the layers is a loop all the same.
    tsPreCompilationDeps: true,
    // Resolves the ~/ alias the way TypeScript and Vite do.
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
