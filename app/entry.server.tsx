import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { RouterContextProvider, ServerRouter, type EntryContext, type HandleErrorFunction } from "react-router";
import { databaseUnavailable, db } from "~/db/connection.server";
import { randomToken } from "~/db/ids";
import { clientAddressContext } from "~/features/auth/context";
import { log } from "~/shared/log.server";
import { clientAddress } from "~/shared/proxy.server";
import { securityHeaders } from "~/features/ops/security-headers.server";
import { startScheduledWork as schedule } from "~/features/ops/scheduled-work.server";
import { NonceProvider } from "~/ui/nonce";

// The production server (server.mjs) reaches start-up work through the server bundle.
export { prepareServer, demoLoginsText, startupProblem } from "~/features/ops/prepare.server";
export { isCrossOriginWrite } from "~/features/auth/origin.server";
export { appOrigin, configuredOrigin, isKnownHost, unknownHostMessage } from "~/shared/app-origin.server";
export { browserOrigin, requestedHost } from "~/shared/proxy.server";
export { log } from "~/shared/log.server";
export { acceptedEncoding, compressedOnce, COMPRESS_ABOVE_BYTES } from "~/features/ops/compression.server";

/** The scheduled work (digests, snapshots, the clean-up of orphan recordings), on this process's shared database handle. */
export function startScheduledWork(): void {
  schedule(db());
}

export const streamTimeout = 5_000;

/** Called by server.mjs for each request: the client's address (proxy.server.ts), for throttling per address. */
export function getLoadContext(request: Request, peer: { address?: string }) {
  const context = new RouterContextProvider();
  context.set(clientAddressContext, clientAddress(peer.address, request.headers.get("x-forwarded-for")));
  return context;
}

export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  routerContext: EntryContext,
  _loadContext: RouterContextProvider,
) {
  const nonce = randomToken(16);
  securityHeaders(headers, nonce);
  // A page that failed because the database could not be reached says so: 503, try again soon.
  if (Object.values(routerContext.staticHandlerContext.errors ?? {}).some(databaseUnavailable)) {
    status = 503;
    headers.set("Retry-After", "5");
  }
  if (request.method.toUpperCase() === "HEAD") return new Response(null, { status, headers });

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    const readyOption = (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          headers.set("Content-Type", "text/html; charset=utf-8");
          pipe(body);
          resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
        },
        onShellError: reject,
        onError(error: unknown) {
          status = 500;
          if (shellRendered) log.error({ err: error }, "error while streaming a page");
        },
      },
    );
  });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  log.error({ err: error, url: request.url, method: request.method }, "unhandled error");
};
