// ESLint flat config; the choice of rule sets is recorded in docs/decisions/011-format-and-lint.md.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig([
  // Generated, vendored or data: not ours to lint.
  globalIgnores([
    "build/",
    ".react-router/",
    ".tmp/",
    "node_modules/",
    "drizzle/",
    "public/",
    "data/",
    "test-results/",
    "playwright-report/",
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // A leading underscore marks a parameter or binding that is required by position but unused.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      // A label's text sits two spans deep where a checkbox has a title and a hint (account-reminders).
      "jsx-a11y/label-has-associated-control": ["error", { depth: 3 }],
    },
  },
  {
    // Server-only modules, scripts, tests and tool configs run on Node.
    files: [
      "app/**/*.server.{ts,tsx}",
      "scripts/**",
      "tests/**",
      "server.mjs",
      "*.config.{ts,js}",
      ".dependency-cruiser.cjs",
    ],
    languageOptions: { globals: globals.node },
  },
]);
