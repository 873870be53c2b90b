import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  ssr: {
    // Native and server-only packages stay external to the server bundle.
    external: ["better-sqlite3", "@node-rs/argon2", "esbuild", "mdx-bundler", "pino", "nodemailer"],
  },
});
