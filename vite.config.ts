import fs from "node:fs";
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";

/**
 * The parameter training's worker thread (decision 024) is started from a file beside the module
 * that starts it (`new URL("./training-worker.mjs", import.meta.url)`): in the source that is
 * app/features/reinforcement/, in a build the server bundle's folder, so the build copies it there.
 */
function trainingWorker(): Plugin {
  const source = new URL("./app/features/reinforcement/training-worker.mjs", import.meta.url);
  return {
    name: "flywheel-training-worker",
    applyToEnvironment: (environment) => environment.name === "ssr",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "training-worker.mjs", source: fs.readFileSync(source, "utf8") });
    },
  };
}

export default defineConfig({
  plugins: [tailwindcss(), reactRouter(), trainingWorker()],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  ssr: {
    // Native and server-only packages stay external to the server bundle.
    external: [
      "better-sqlite3",
      "@node-rs/argon2",
      "esbuild",
      "mdx-bundler",
      "pino",
      "nodemailer",
      "@open-spaced-repetition/binding",
    ],
  },
});
