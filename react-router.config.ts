import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  future: {
    // Middleware lets one place refuse cross-origin writes and load the session for every
    // route, resource routes included.
    v8_middleware: true,
  },
} satisfies Config;
