/**
 * A line-by-line comparison of two texts (the longest common subsequence of their lines), for showing staff what
 * changed between two versions of something they wrote. Pure. Texts past `MAX_LINES` lines are compared as one
 * block each beyond that point, so the work stays bounded.
 */

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

const MAX_LINES = 3000;

/** The lines of `before` and `after` in order, each kept, added or removed. */
export function diffLines(before: string, after: string): DiffLine[] {
  const split = (s: string) => {
    const lines = s.replace(/\r\n?/g, "\n").split("\n");
    return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), lines.slice(MAX_LINES - 1).join("\n")] : lines;
  };
  const a = before === "" ? [] : split(before);
  const b = after === "" ? [] : split(after);
  // Common head and tail first: most edits touch a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const n = midA.length;
  const m = midB.length;
  // lcs[i][j]: the longest common subsequence of midA[i..] and midB[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as Uint32Array)[j] =
        midA[i] === midB[j]
          ? ((lcs[i + 1] as Uint32Array)[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as Uint32Array)[j] as number, (lcs[i] as Uint32Array)[j + 1] as number);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ kind: "same", text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      out.push({ kind: "same", text: midA[i] as string });
      i++;
      j++;
    } else if (i < n && (j === m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push({ kind: "removed", text: midA[i] as string });
      i++;
    } else {
      out.push({ kind: "added", text: midB[j] as string });
      j++;
    }
  }
  for (const text of a.slice(a.length - tail)) out.push({ kind: "same", text });
  return out;
}
