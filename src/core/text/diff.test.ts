import assert from "node:assert/strict";
import { test } from "node:test";
import { diffLines } from "./diff.ts";

test("a changed line in the middle shows as removed then added; the rest kept", () => {
  const d = diffLines("một\nhai\nba\nbốn", "một\nHAI\nba\nbốn\nnăm");
  assert.deepEqual(
    d,
    [
      { kind: "same", text: "một" },
      { kind: "removed", text: "hai" },
      { kind: "added", text: "HAI" },
      { kind: "same", text: "ba" },
      { kind: "same", text: "bốn" },
      { kind: "added", text: "năm" },
    ],
    "the minimal change",
  );
});

test("identical texts are all kept; from or to nothing is all added or removed", () => {
  assert.ok(
    diffLines("a\nb", "a\nb").every((l) => l.kind === "same"),
    "nothing changed",
  );
  assert.deepEqual(diffLines("", "x\ny"), [
    { kind: "added", text: "x" },
    { kind: "added", text: "y" },
  ]);
  assert.deepEqual(diffLines("x", ""), [{ kind: "removed", text: "x" }]);
});

test("rebuilding either side from the comparison gives it back", () => {
  const before = Array.from({ length: 300 }, (_, i) => `dòng ${i % 37}`).join("\n");
  const after = Array.from({ length: 280 }, (_, i) => `dòng ${(i * 7) % 41}`).join("\n");
  const d = diffLines(before, after);
  assert.equal(
    d
      .filter((l) => l.kind !== "added")
      .map((l) => l.text)
      .join("\n"),
    before,
    "before",
  );
  assert.equal(
    d
      .filter((l) => l.kind !== "removed")
      .map((l) => l.text)
      .join("\n"),
    after,
    "after",
  );
});
