import { isRouteErrorResponse } from "react-router";

const TITLES: Record<number, { title: string; text: string }> = {
  400: {
    title: "That request didn't make sense",
    text: "Something in the request was malformed. Go back and try again.",
  },
  403: {
    title: "Not for you, sorry",
    text: "You do not have access to this page. If you think you should, ask your Flywheel admin.",
  },
  405: {
    title: "That page doesn't take a form",
    text: "Nothing was changed. Go back and use the page's own buttons.",
  },
  404: { title: "We couldn't find that page", text: "The link may be old, or the page may have moved." },
  429: { title: "Slow down a little", text: "Too many attempts in a short time. Wait a few minutes and try again." },
  500: { title: "Something went wrong on our side", text: "We have logged the problem. Try again in a moment." },
  503: {
    title: "Flywheel is catching its breath",
    text: "We can't reach the database just now. Nothing you did was lost: try again in a moment.",
  },
};

/**
 * A refusal or failure as a page. Inside the signed-in shell it fills the main area (the
 * navigation and "Sign out" stay above it); on its own it is the whole page. `home` is where
 * the way out leads: never the page that failed, or a refused home page would send people round
 * in a circle.
 */
export function ErrorPage({
  status,
  message,
  detail,
  home = "/",
  inShell = false,
}: {
  status: number;
  message?: string;
  detail?: string;
  home?: string;
  inShell?: boolean;
}) {
  const known = TITLES[status] ?? TITLES[500]!;
  const Outer = inShell ? "section" : "main";
  return (
    <Outer
      className={`mx-auto flex max-w-xl flex-col justify-center gap-4 px-4 ${inShell ? "py-8" : "min-h-[70vh] py-16"}`}
    >
      <p className="text-sm font-semibold tracking-wide text-brand-600">Flywheel · {status}</p>
      <h1 className="text-3xl font-bold">{known.title}</h1>
      <p className="text-lg text-slate-700">{message ?? known.text}</p>
      {detail ? <pre className="overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{detail}</pre> : null}
      <p>
        <a href={home} className="btn">
          {home === "/" ? "Go to your home page" : "Go to the library"}
        </a>
      </p>
    </Outer>
  );
}

/** What a thrown `data({ message }, { status })` or a crash says, for an ErrorBoundary. */
export function describeError(error: unknown, dev: boolean): { status: number; message?: string; detail?: string } {
  if (isRouteErrorResponse(error)) {
    const data: unknown = error.data;
    // The router's own errors (a form posted to a page without one) carry a text for developers.
    const message =
      "internal" in error && error.internal === true
        ? undefined
        : typeof data === "object" && data && "message" in data
          ? String(data.message)
          : typeof data === "string"
            ? data
            : undefined;
    return { status: error.status, message };
  }
  // Details stay in the server log; a browser never sees a stack trace in production.
  return { status: 500, detail: dev && error instanceof Error ? error.stack : undefined };
}
