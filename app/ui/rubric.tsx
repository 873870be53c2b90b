import type { StoredCriterion } from "~/db/model";

type Scores = Record<string, number> | null;

/**
 * The rep's own rubric scores and the manager's, side by side (the calibration view). Without
 * `manager` (a branching role-play, which no one reviews) only the rep's own levels show, and no
 * overall figure: the attempt's score is the path's, shown beside the table.
 */
export function ScoreComparison({
  rubric,
  self,
  selfScore,
  manager,
  caption,
}: {
  rubric: StoredCriterion[];
  self: Scores;
  selfScore: number | null;
  manager?: { scores: Scores; score: number | null };
  caption?: string;
}) {
  const level = (scores: Scores, id: string) =>
    scores && Object.hasOwn(scores, id) && scores[id] ? `${scores[id]} of 5` : "—";
  const overall = (score: number | null) => (score === null ? "—" : Math.round(score));
  return (
    <table className="w-full text-left text-sm">
      {caption ? <caption className="mb-1 text-left font-semibold">{caption}</caption> : null}
      <thead className="text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-2">
            Criterion
          </th>
          <th scope="col" className="py-1 pr-2">
            You
          </th>
          {manager ? (
            <th scope="col" className="py-1">
              Manager
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rubric.map((c) => (
          <tr key={c.id} className="border-t border-slate-100">
            <th scope="row" className="py-1 pr-2 font-normal">
              {c.name} <span className="text-slate-600">({c.weight}%)</span>
            </th>
            <td className="py-1 pr-2">{level(self, c.id)}</td>
            {manager ? <td className="py-1">{level(manager.scores, c.id)}</td> : null}
          </tr>
        ))}
        {manager ? (
          <tr className="border-t border-slate-300 font-semibold">
            <th scope="row" className="py-1 pr-2">
              Overall (0–100)
            </th>
            <td className="py-1 pr-2">{overall(selfScore)}</td>
            <td className="py-1">{overall(manager.score)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/** One criterion's five levels as radio buttons named `score-<criterion id>`. */
export function CriterionLevels({
  criterion,
  checked,
  note,
}: {
  criterion: StoredCriterion;
  checked?: number;
  note?: string;
}) {
  return (
    <fieldset className="mt-3">
      <legend className="text-sm font-medium">
        {criterion.name} <span className="text-slate-500">({criterion.weight}%)</span>
        {note ? <span className="ml-2 text-slate-600">{note}</span> : null}
      </legend>
      <div className="mt-1 flex flex-col gap-1">
        {criterion.levels.map((level, i) => (
          <label key={i} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name={`score-${criterion.id}`}
              value={i + 1}
              required
              defaultChecked={checked === i + 1}
              className="mt-1 accent-brand-600"
            />
            <span>
              <strong>{i + 1}</strong> {level}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
