import { Children, isValidElement, type ReactElement, type ReactNode } from "react";
import { Form, useNavigation } from "react-router";
import { Recorder } from "~/ui/recorder";
import { CriterionLevels, ScoreComparison } from "~/ui/rubric";
import { ScrollArea } from "~/ui/scroll-area";
import { useLessonState, type RoleplayView } from "./lesson-state";

type TurnProps = { id: string; buyer: string; hint?: string; children?: ReactNode };
type ReplyProps = { value?: string; children?: ReactNode };

function turnsOf(children: ReactNode): Array<ReactElement<TurnProps>> {
  return Children.toArray(children).filter((c): c is ReactElement<TurnProps> => isValidElement(c) && c.type === Turn);
}

function repliesOf(turn: ReactElement<TurnProps>): Array<ReactElement<ReplyProps>> {
  return Children.toArray(turn.props.children).filter(
    (c): c is ReactElement<ReplyProps> => isValidElement(c) && c.type === Reply,
  );
}

/**
 * A role-play: the buyer persona, the situation and the rep's goal, then buyer turns. The page
 * knows only the rep's own attempt (from the server): points, feedback and branches are
 * revealed one chosen reply at a time.
 */
export function RolePlay({
  id,
  mode,
  title,
  persona,
  situation,
  goal,
  children,
}: {
  id: string;
  mode: "branching" | "open";
  title: string;
  persona: string;
  situation: string;
  goal: string;
  children?: ReactNode;
}) {
  const state = useLessonState();
  const view = state.roleplays && Object.hasOwn(state.roleplays, id) ? state.roleplays[id] : undefined;
  const error = state.roleplayError?.roleplay === id ? state.roleplayError.message : null;
  const turns = turnsOf(children);
  return (
    <section
      id={`roleplay-${id}`}
      className="my-8 scroll-mt-20 rounded-xl border-2 border-brand-100 bg-white p-4 shadow-sm"
      aria-labelledby={`roleplay-${id}-title`}
    >
      <p className="text-xs font-bold uppercase tracking-wide text-brand-700">
        Role-play · {mode === "branching" ? "choose your replies" : "write your replies"}
      </p>
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
      {error ? (
        <p role="alert" className="field-error mt-3">
          {error}
        </p>
      ) : null}
      {view && mode === "branching" ? <Branching id={id} turns={turns} view={view} action={state.action} /> : null}
      {view && mode === "open" ? (
        <Open id={id} turns={turns} view={view} action={state.action} again={state.practiseAgain === id} />
      ) : null}
      {Children.toArray(children).filter((c) => isValidElement(c) && c.type === Rubric)}
    </section>
  );
}

function BuyerLine({ text }: { text: string }) {
  return (
    <div className="mr-8 rounded-2xl rounded-bl-sm bg-slate-100 px-4 py-2">
      <p className="text-xs font-semibold text-slate-600">Buyer</p>
      <p>{text}</p>
    </div>
  );
}

function Branching({
  id,
  turns,
  view,
  action,
}: {
  id: string;
  turns: Array<ReactElement<TurnProps>>;
  view: RoleplayView;
  action: string;
}) {
  const busy = useNavigation().state !== "idle";
  const { submission } = useLessonState();
  const byId = new Map(turns.map((t) => [t.props.id, t]));
  const current = view.currentTurn ? byId.get(view.currentTurn) : undefined;
  const finished = view.status === "submitted" || view.status === "reviewed";
  return (
    <div className="mt-4">
      <ol className="flex flex-col gap-4">
        {view.steps.map((step, i) => {
          const turn = byId.get(step.turnId);
          const reply = turn ? repliesOf(turn).find((r) => r.props.value === step.replyId) : undefined;
          return (
            <li key={i} className="list-none">
              <BuyerLine text={turn?.props.buyer ?? ""} />
              <div className="ml-8 mt-2 rounded-2xl rounded-br-sm bg-brand-50 px-4 py-2">
                <p className="text-xs font-semibold text-brand-700">You</p>
                <div>{reply?.props.children}</div>
              </div>
              <p className="ml-8 mt-1 text-sm text-slate-700">
                <strong>
                  {step.points} point{step.points === 1 ? "" : "s"}.
                </strong>{" "}
                {step.feedback}
              </p>
            </li>
          );
        })}
      </ol>
      {current && !finished ? (
        <Form
          key={current.props.id}
          method="post"
          action={`${action}#roleplay-${id}`}
          preventScrollReset
          className="mt-4"
        >
          <BuyerLine text={current.props.buyer} />
          {current.props.hint ? <p className="mt-1 text-sm text-slate-600">Hint: {current.props.hint}</p> : null}
          <fieldset className="ml-4 mt-3 flex flex-col gap-2" disabled={busy}>
            <legend className="mb-1 text-sm font-medium">What do you say?</legend>
            {repliesOf(current).map((reply) => (
              <label
                key={reply.props.value}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 hover:border-brand-600"
              >
                <input
                  type="radio"
                  name="reply"
                  value={reply.props.value}
                  required
                  className="mt-1 size-4 shrink-0 accent-brand-600"
                />
                <span>{reply.props.children}</span>
              </label>
            ))}
          </fieldset>
          <input type="hidden" name="intent" value="roleplay-choose" />
          <input type="hidden" name="roleplay" value={id} />
          <input type="hidden" name="submission" value={submission} />
          <button type="submit" className="btn ml-4 mt-3" disabled={busy}>
            Say it
          </button>
        </Form>
      ) : null}
      {finished ? (
        <div className="mt-4 rounded-lg bg-brand-50 p-3">
          <p className="font-semibold">
            You scored {Math.round(view.score ?? 0)}/100{" "}
            <span className="font-normal text-slate-700">(points earned over the best path's points).</span>
          </p>
          <SelfAssessment id={id} view={view} action={action} />
          <Form method="post" action={`${action}#roleplay-${id}`} preventScrollReset className="mt-3">
            <input type="hidden" name="intent" value="roleplay-restart" />
            <input type="hidden" name="roleplay" value={id} />
            <button type="submit" className="btn-secondary">
              Try a different path
            </button>
          </Form>
        </div>
      ) : null}
    </div>
  );
}

/**
 * An open role-play, one buyer turn at a time (decision 025): the rep replies to the turn in front
 * of them, and the buyer's next turn comes after it. Each reply is a plain form post kept on the
 * attempt in progress, so it works without JavaScript; the reply to the last turn hands it in.
 */
function Open({
  id,
  turns,
  view,
  action,
  again,
}: {
  id: string;
  turns: Array<ReactElement<TurnProps>>;
  view: RoleplayView;
  action: string;
  again: boolean;
}) {
  const finished = view.status === "submitted" || view.status === "reviewed";
  if (!finished || again) {
    // "Practice again" after a finished attempt starts from the first turn; the next reply begins a new attempt.
    const replies = finished ? [] : view.replies;
    const current = finished ? turns[0] : turns.find((t) => t.props.id === view.currentTurn);
    return (
      <div className="mt-4">
        {replies.length ? <Exchanges turns={turns} replies={replies} /> : null}
        {current ? (
          <TurnForm
            id={id}
            turn={current}
            position={turns.indexOf(current) + 1}
            total={turns.length}
            action={action}
            started={replies.length > 0}
          />
        ) : null}
      </div>
    );
  }
  return (
    <div className="mt-4">
      <p className="mb-3 rounded-lg bg-brand-50 p-3">
        {view.status === "reviewed"
          ? "Your manager has reviewed this role-play."
          : "Submitted. Your manager will review it with the rubric; here is the automatic feedback meanwhile."}
      </p>
      <Exchanges turns={turns} replies={view.replies} />
      <SelfAssessment id={id} view={view} action={action} />
      <a href={`?practise=${id}#roleplay-${id}`} className="btn-secondary mt-3">
        Practice again
      </a>
    </div>
  );
}

/** The buyer's turns so far, each with the rep's reply under it and the automatic notes on it. */
function Exchanges({ turns, replies }: { turns: Array<ReactElement<TurnProps>>; replies: RoleplayView["replies"] }) {
  return (
    <ol className="mb-4 flex flex-col gap-4">
      {replies.map((reply) => {
        const turn = turns.find((t) => t.props.id === reply.turnId);
        return (
          <li key={reply.turnId} className="list-none">
            <BuyerLine text={turn?.props.buyer ?? ""} />
            <div className="ml-8 mt-2 rounded-2xl rounded-br-sm bg-brand-50 px-4 py-2">
              <p className="text-xs font-semibold text-brand-700">You</p>
              <p className="whitespace-pre-wrap">{reply.text || "(recorded reply)"}</p>
            </div>
            <TechniqueNotes analysis={reply.analysis} />
          </li>
        );
      })}
    </ol>
  );
}

/** The buyer's current turn and the rep's reply to it: written, recorded, or both. */
function TurnForm({
  id,
  turn,
  position,
  total,
  action,
  started,
}: {
  id: string;
  turn: ReactElement<TurnProps>;
  position: number;
  total: number;
  action: string;
  started: boolean;
}) {
  const busy = useNavigation().state !== "idle";
  const { submission } = useLessonState();
  const last = position === total;
  const field = `${id}-reply-${turn.props.id}`;
  return (
    <>
      <Form
        key={turn.props.id}
        method="post"
        action={`${action}#roleplay-${id}`}
        preventScrollReset
        className="flex flex-col gap-2"
      >
        <p className="text-sm font-medium text-slate-600">
          Turn {position} of {total}
        </p>
        {/* Announced when it arrives: the buyer's answer to the reply just sent. */}
        <div aria-live="polite">
          <BuyerLine text={turn.props.buyer} />
        </div>
        {turn.props.hint ? <p className="text-sm text-slate-600">Hint: {turn.props.hint}</p> : null}
        <label htmlFor={field} className="label mt-1">
          Your reply
        </label>
        <textarea
          id={field}
          name={`reply-${turn.props.id}`}
          rows={3}
          maxLength={2000}
          className="field"
          disabled={busy}
        />
        <Recorder name={`recording-${turn.props.id}`} />
        <input type="hidden" name="intent" value="roleplay-reply" />
        <input type="hidden" name="roleplay" value={id} />
        <input type="hidden" name="turn" value={turn.props.id} />
        <input type="hidden" name="submission" value={submission} />
        <button type="submit" className="btn self-start" disabled={busy}>
          {busy ? "Sending…" : last ? "Send and submit for review" : "Send reply"}
        </button>
        {last ? (
          <p className="text-sm text-slate-600">This is the last turn: your replies then go to your manager.</p>
        ) : null}
      </Form>
      {started ? (
        <Form method="post" action={`${action}#roleplay-${id}`} preventScrollReset className="mt-3">
          <input type="hidden" name="intent" value="roleplay-restart" />
          <input type="hidden" name="roleplay" value={id} />
          <button type="submit" className="btn-secondary text-sm">
            Start over
          </button>
        </Form>
      ) : null}
    </>
  );
}

export function TechniqueNotes({ analysis }: { analysis: RoleplayView["replies"][number]["analysis"] }) {
  return (
    <div className="ml-8 mt-1 text-sm text-slate-700">
      {analysis.questions.length ? (
        <p>
          Questions:{" "}
          {analysis.questions.map((q, i) => (
            <span
              key={i}
              className={`mr-1 inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${q.kind === "open" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-900"}`}
            >
              {q.kind}
              {q.leading ? ", leading" : ""}
            </span>
          ))}
        </p>
      ) : null}
      {analysis.listening.length ? <p>Good listening: {analysis.listening.join("; ")}.</p> : null}
      {/* Tips quote the reply or the buyer's line; when nothing can be grounded there, none is given. */}
      {analysis.tips.length ? (
        <ul className="mt-1 list-disc pl-5">
          {analysis.tips.map((tip, i) => (
            <li key={i}>{tip}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** After submitting, the rep scores themselves; once reviewed, both scores sit side by side. */
function SelfAssessment({ id, view, action }: { id: string; view: RoleplayView; action: string }) {
  if (view.selfScores) {
    return (
      <div className="mt-4">
        {view.mode === "branching" ? (
          <>
            <ScrollArea label="Your own rating">
              <ScoreComparison rubric={view.rubric} self={view.selfScores} selfScore={null} caption="Your own rating" />
            </ScrollArea>
            <p className="mt-1 text-sm text-slate-700">
              Your rating is for you: compare it with the path you took. It does not change your score.
            </p>
          </>
        ) : (
          <ScrollArea label="Your scores and your manager's">
            <ScoreComparison
              rubric={view.rubric}
              self={view.selfScores}
              selfScore={view.selfScore}
              manager={{ scores: view.managerScores, score: view.managerScore }}
              caption="Your scores and your manager's"
            />
          </ScrollArea>
        )}
        {view.managerComment ? <p className="mt-2 rounded bg-white p-2 text-sm">“{view.managerComment}”</p> : null}
      </div>
    );
  }
  return (
    <Form method="post" action={`${action}#roleplay-${id}`} preventScrollReset className="mt-4">
      <p className="font-semibold">How did you do? Score yourself on the rubric.</p>
      {view.rubric.map((c) => (
        <CriterionLevels key={c.id} criterion={c} />
      ))}
      <input type="hidden" name="intent" value="roleplay-self" />
      <input type="hidden" name="roleplay" value={id} />
      <button type="submit" className="btn mt-3">
        Save my scores
      </button>
    </Form>
  );
}

export function Turn(_props: TurnProps) {
  // Rendered by RolePlay, which knows which turns the rep has reached.
  return null;
}

export function Reply(_props: ReplyProps) {
  return null;
}

export function Rubric({ children }: { children?: ReactNode }) {
  return (
    <details className="mt-4 rounded-lg border border-slate-200 p-3">
      <summary className="cursor-pointer font-semibold">How this role-play is scored</summary>
      <div className="mt-2 flex flex-col gap-3">{children}</div>
    </details>
  );
}

export function Criterion({
  name,
  weight,
  children,
}: {
  id?: string;
  name: string;
  weight: string;
  children?: ReactNode;
}) {
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
