import type { ReactNode } from "react";

const CALLOUT_STYLES = {
  tip: { box: "border-emerald-300 bg-emerald-50", label: "Tip" },
  warning: { box: "border-amber-300 bg-amber-50", label: "Watch out" },
  note: { box: "border-brand-100 bg-brand-50", label: "Note" },
} as const;

export function Callout({
  kind = "note",
  title,
  children,
}: {
  kind?: keyof typeof CALLOUT_STYLES;
  title?: string;
  children?: ReactNode;
}) {
  const style = Object.hasOwn(CALLOUT_STYLES, kind) ? CALLOUT_STYLES[kind] : CALLOUT_STYLES.note;
  return (
    <aside className={`my-5 rounded-lg border-l-4 px-4 py-3 ${style.box}`} aria-label={title ?? style.label}>
      <p className="mb-1 text-sm font-semibold uppercase tracking-wide text-slate-700">{title ?? style.label}</p>
      <div className="lesson-inner">{children}</div>
    </aside>
  );
}

export function KeyPoint({ children }: { children?: ReactNode }) {
  return (
    <section className="my-6 rounded-xl border border-brand-100 bg-white p-4 shadow-sm" aria-label="Key points">
      <h2 className="!mt-0 mb-2 text-base font-bold text-brand-700">Remember</h2>
      <div className="lesson-inner">{children}</div>
    </section>
  );
}

export function Example({ title, children }: { title?: string; children?: ReactNode }) {
  return (
    <figure className="my-6 rounded-xl border border-slate-200 bg-white p-4">
      {title ? <figcaption className="mb-3 font-semibold">{title}</figcaption> : null}
      <div className="grid gap-3 sm:grid-cols-2">{children}</div>
    </figure>
  );
}

const VERSION_STYLES = {
  weak: { box: "border-red-200 bg-red-50", label: "text-red-800", title: "Weak" },
  strong: { box: "border-emerald-200 bg-emerald-50", label: "text-emerald-800", title: "Strong" },
  why: { box: "border-transparent sm:col-span-2 !p-0 text-slate-700", label: "text-slate-600", title: "Why it works" },
} as const;

function ExamplePart({ tone, children }: { tone: keyof typeof VERSION_STYLES; children?: ReactNode }) {
  const style = VERSION_STYLES[tone];
  return (
    <div className={`rounded-lg border p-3 ${style.box}`}>
      <p className={`mb-1 text-xs font-bold uppercase tracking-wide ${style.label}`}>{style.title}</p>
      <div className="lesson-inner">{children}</div>
    </div>
  );
}

export const Weak = ({ children }: { children?: ReactNode }) => <ExamplePart tone="weak">{children}</ExamplePart>;
export const Strong = ({ children }: { children?: ReactNode }) => <ExamplePart tone="strong">{children}</ExamplePart>;
export const Why = ({ children }: { children?: ReactNode }) => <ExamplePart tone="why">{children}</ExamplePart>;

export function Dialogue({ children }: { children?: ReactNode }) {
  return <div className="my-5 flex flex-col gap-2">{children}</div>;
}

export function Buyer({ name, children }: { name?: string; children?: ReactNode }) {
  return (
    <div className="mr-8 rounded-2xl rounded-bl-sm bg-slate-100 px-4 py-2">
      <p className="text-xs font-semibold text-slate-600">{name ?? "Buyer"}</p>
      <div className="lesson-inner">{children}</div>
    </div>
  );
}

export function Rep({ name, children }: { name?: string; children?: ReactNode }) {
  return (
    <div className="ml-8 rounded-2xl rounded-br-sm bg-brand-50 px-4 py-2">
      <p className="text-xs font-semibold text-brand-700">{name ?? "You"}</p>
      <div className="lesson-inner">{children}</div>
    </div>
  );
}

export function Video({
  src,
  captions,
  title,
  poster,
  children,
}: {
  src: string;
  captions?: string;
  title: string;
  poster?: string;
  children?: ReactNode;
}) {
  return (
    <figure className="my-6">
      {/* eslint-disable-next-line jsx-a11y/media-has-caption -- captions are optional; without them the Transcript below is the text alternative (docs/design.md: captions or a transcript) */}
      <video controls preload="metadata" className="w-full rounded-lg bg-black" poster={poster} aria-label={title}>
        <source src={src} />
        {captions ? <track kind="captions" src={captions} srcLang="en" label="English" default /> : null}
      </video>
      <figcaption className="mt-1 text-sm text-slate-600">{title}</figcaption>
      <Transcript>{children}</Transcript>
    </figure>
  );
}

export function Audio({ src, title, children }: { src: string; title: string; children?: ReactNode }) {
  return (
    <figure className="my-6">
      {/* eslint-disable-next-line jsx-a11y/media-has-caption -- browsers do not show a track on <audio>; the Transcript below is its text alternative */}
      <audio controls preload="metadata" className="w-full" aria-label={title} src={src} />
      <figcaption className="mt-1 text-sm text-slate-600">{title}</figcaption>
      <Transcript>{children}</Transcript>
    </figure>
  );
}

function Transcript({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium">Transcript</summary>
      <div className="lesson-inner mt-2 text-sm">{children}</div>
    </details>
  );
}
