// A side-by-side line diff of two lesson versions: the longest common subsequence of their lines
// (lessons are at most 64 KB, a few hundred lines, so the quadratic table is small), walked into
// rows that pair a removed line with an added one where they sit at the same place.

export type DiffRow =
  | { kind: "same"; left: string; right: string; leftLine: number; rightLine: number }
  | { kind: "changed"; left: string | null; right: string | null; leftLine: number | null; rightLine: number | null };

export function lineDiff(before: string, after: string): DiffRow[] {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  // lengths[i][j]: the common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);

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
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      rows.push({ kind: "same", left: a[i]!, right: b[j]!, leftLine: i + 1, rightLine: j + 1 });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) added.push(j++);
    else removed.push(i++);
  }
  flush();
  return rows;
}
