import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // The whole route manifest as one cached script instead of a partial manifest per page and
  // /__manifest requests: computing the partial manifest matched every route three times per
  // page (≈ 4% of a lesson page's CPU). Decision 007.
  routeDiscovery: { mode: "initial" },
  future: {
    // Middleware lets one place refuse cross-origin writes and load the session for every
    // route, resource routes included.
    v8_middleware: true,
  },
} satisfies Config;
