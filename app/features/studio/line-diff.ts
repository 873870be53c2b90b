// A side-by-side line diff of two lesson versions: the lines both begin and end with are set
// aside, then the longest common subsequence of the lines between, walked into rows that pair a
// removed line with an added one where they sit at the same place. The quadratic table is built
// only up to MAX_CELLS (a few hundred lines each way is a few hundred thousand cells); past that —
// a version of thousands of short lines, which the 64 KB limit still allows — the lines between are
// shown as changed, side by side, rather than holding the server for seconds and gigabytes.

export type DiffRow =
  | { kind: "same"; left: string; right: string; leftLine: number; rightLine: number }
  | { kind: "changed"; left: string | null; right: string | null; leftLine: number | null; rightLine: number | null };

export const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffRow[] {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const same = (i: number, j: number): DiffRow => ({
    kind: "same",
    left: a[i]!,
    right: b[j]!,
    leftLine: i + 1,
    rightLine: j + 1,
  });

  const rows: DiffRow[] = [];
  for (let k = 0; k < head; k++) rows.push(same(k, k));
  rows.push(...middle(a, b, head, a.length - tail, b.length - tail, same));
  for (let k = tail; k > 0; k--) rows.push(same(a.length - k, b.length - k));
  return rows;
}

/** The rows of a[from..aEnd) against b[from..bEnd). */
function middle(
  a: string[],
  b: string[],
  from: number,
  aEnd: number,
  bEnd: number,
  same: (i: number, j: number) => DiffRow,
): DiffRow[] {
  const n = aEnd - from;
  const m = bEnd - from;
  const rows: DiffRow[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const l = removed[k];
      const r = added[k];
      rows.push({
        kind: "changed",
        left: l === undefined ? null : a[l]!,
        right: r === undefined ? null : b[r]!,
        leftLine: l === undefined ? null : l + 1,
        rightLine: r === undefined ? null : r + 1,
      });
    }
    removed = [];
    added = [];
  };
  if (n * m > MAX_CELLS) {
    for (let i = from; i < aEnd; i++) removed.push(i);
    for (let j = from; j < bEnd; j++) added.push(j);
    flush();
    return rows;
  }
  // lengths[i][j]: the common subsequence of a[from + i..aEnd) and b[from + j..bEnd).
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[i]![j] =
        a[from + i] === b[from + j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[from + i] === b[from + j]) {
      flush();
      rows.push(same(from + i, from + j));
      i++;
      j++;
    } else if (j < m && (i === n || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) added.push(from + j++);
    else removed.push(from + i++);
  }
  flush();
  return rows;
}
