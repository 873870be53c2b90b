const TITLES: Record<number, { title: string; text: string }> = {
  400: {
    title: "That request didn't make sense",
    text: "Something in the request was malformed. Go back and try again.",
  },
  403: {
    title: "Not for you, sorry",
    text: "You do not have access to this page. If you think you should, ask your Flywheel admin.",
  },
  404: { title: "We couldn't find that page", text: "The link may be old, or the page may have moved." },
  429: { title: "Slow down a little", text: "Too many attempts in a short time. Wait a few minutes and try again." },
  500: { title: "Something went wrong on our side", text: "We have logged the problem. Try again in a moment." },
  503: {
    title: "Flywheel is catching its breath",
    text: "We can't reach the database just now. Nothing you did was lost: try again in a moment.",
  },
};

export function ErrorPage({ status, message, detail }: { status: number; message?: string; detail?: string }) {
  const known = TITLES[status] ?? TITLES[500]!;
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-xl flex-col justify-center gap-4 px-4 py-16">
      <p className="text-sm font-semibold tracking-wide text-brand-600">Flywheel · {status}</p>
      <h1 className="text-3xl font-bold">{known.title}</h1>
      <p className="text-lg text-slate-700">{message ?? known.text}</p>
      {detail ? <pre className="overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{detail}</pre> : null}
      <p>
        <a href="/" className="btn">
          Go to your home page
        </a>
      </p>
    </main>
  );
}
