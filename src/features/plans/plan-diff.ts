/** What a revised plan text changes in the stored tasks: pure, so progress-keeping rules are tested without a database. */
import { foldWords } from "../../core/text/vi.ts";

export interface TaskChange {
  kind: "added" | "kept" | "changed" | "removed";
  text: string;
  previous?: string;
  taskId?: number;
}

/** Word-set similarity: a lightly edited task is the same task, so its progress stays with it. */
function similarity(a: string, b: string): number {
  const x = new Set(foldWords(a).split(" "));
  const y = new Set(foldWords(b).split(" "));
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / Math.max(1, new Set([...x, ...y]).size);
}

/** Pair the stored tasks with the revised text's tasks: exact text first, then close wording within the same group. */
export function diffTasks(
  current: { id: number; text: string; group: string }[],
  next: { text: string; group: string }[],
): TaskChange[] {
  const unmatched = new Map(current.map((t) => [t.id, t]));
  const out: TaskChange[] = [];
  const pending: { text: string; group: string; index: number }[] = [];
  next.forEach((t, index) => {
    const key = foldWords(t.text);
    const same = [...unmatched.values()].find((c) => foldWords(c.text) === key);
    if (same) {
      unmatched.delete(same.id);
      out[index] = { kind: "kept", text: t.text, taskId: same.id };
    } else pending.push({ ...t, index });
  });
  for (const t of pending) {
    let best: { id: number; text: string } | null = null;
    let bestScore = 0.6;
    for (const c of unmatched.values()) {
      const s = similarity(c.text, t.text) + (c.group === t.group ? 0.05 : 0);
      if (s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    if (best) {
      unmatched.delete(best.id);
      out[t.index] = { kind: "changed", text: t.text, previous: best.text, taskId: best.id };
    } else out[t.index] = { kind: "added", text: t.text };
  }
  for (const c of unmatched.values()) out.push({ kind: "removed", text: c.text, taskId: c.id });
  return out;
}

/** What the coordinator decided for each unmatched group: an existing unit, or a new unit with this name. */
