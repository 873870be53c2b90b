import { Children, createContext, isValidElement, useContext, type ReactNode } from "react";

type RolePlayContextValue = { mode: "branching" | "open" };
const RolePlayContext = createContext<RolePlayContextValue>({ mode: "open" });

/**
 * The scenario of a role-play and its buyer turns. Points, feedback and the branches between
 * turns stay on the server; the page shows what the buyer says and the replies to choose from.
 */
export function RolePlay({ id, mode, title, persona, situation, goal, children }: { id: string; mode: "branching" | "open"; title: string; persona: string; situation: string; goal: string; children?: ReactNode }) {
  const items = Children.toArray(children).filter(isValidElement);
  // A branching role-play starts at its first turn; later turns depend on the rep's choices.
  const turns = items.filter((c) => c.type === Turn);
  const rest = items.filter((c) => c.type !== Turn);
  const shown = mode === "branching" ? turns.slice(0, 1) : turns;
  return (
    <section id={`roleplay-${id}`} className="my-8 rounded-xl border-2 border-brand-100 bg-white p-4 shadow-sm" aria-labelledby={`roleplay-${id}-title`}>
      <p className="text-xs font-bold uppercase tracking-wide text-brand-700">Role-play · {mode === "branching" ? "choose your replies" : "write your replies"}</p>
      <h2 id={`roleplay-${id}-title`} className="!mt-1 text-xl font-bold">
        {title}
      </h2>
      <dl className="mt-3 grid gap-2 text-sm">
        <div>
          <dt className="font-semibold">The buyer</dt>
          <dd>{persona}</dd>
        </div>
        <div>
          <dt className="font-semibold">The situation</dt>
          <dd>{situation}</dd>
        </div>
        <div>
          <dt className="font-semibold">Your goal</dt>
          <dd>{goal}</dd>
        </div>
      </dl>
      <RolePlayContext.Provider value={{ mode }}>
        <ol className="mt-4 flex flex-col gap-4">{shown}</ol>
        {rest}
      </RolePlayContext.Provider>
    </section>
  );
}

export function Turn({ buyer, hint, children }: { id?: string; buyer: string; hint?: string; children?: ReactNode }) {
  const { mode } = useContext(RolePlayContext);
  return (
    <li className="list-none">
      <div className="mr-8 rounded-2xl rounded-bl-sm bg-slate-100 px-4 py-2">
        <p className="text-xs font-semibold text-slate-600">Buyer</p>
        <p>{buyer}</p>
      </div>
      {hint ? <p className="mt-1 text-sm text-slate-600">Hint: {hint}</p> : null}
      {mode === "branching" ? <ul className="mt-2 flex flex-col gap-2">{children}</ul> : null}
    </li>
  );
}

export function Reply({ children }: { value?: string; children?: ReactNode }) {
  return <li className="ml-8 list-none rounded-lg border border-slate-200 px-3 py-2">{children}</li>;
}

export function Rubric({ children }: { children?: ReactNode }) {
  return (
    <details className="mt-4 rounded-lg border border-slate-200 p-3">
      <summary className="cursor-pointer font-semibold">How this role-play is scored</summary>
      <div className="mt-2 flex flex-col gap-3">{children}</div>
    </details>
  );
}

export function Criterion({ name, weight, children }: { id?: string; name: string; weight: string; children?: ReactNode }) {
  return (
    <div>
      <p className="font-medium">
        {name} <span className="text-sm text-slate-600">({weight}%)</span>
      </p>
      <ol className="mt-1 flex flex-col gap-1 text-sm">{children}</ol>
    </div>
  );
}

export function Level({ score, children }: { score: string; children?: ReactNode }) {
  return (
    <li className="list-none">
      <span className="mr-2 inline-block w-5 rounded bg-slate-100 text-center font-semibold">{score}</span>
      {children}
    </li>
  );
}
