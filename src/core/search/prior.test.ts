import assert from "node:assert/strict";
import { test } from "node:test";
import { SearchIndex } from "./index.ts";
import {
  audienceOf,
  combinedPrior,
  LEARNED_CAP,
  LEARNED_SATURATION,
  learnedWeight,
  ORGANISATIONS_ONLY,
  PRIOR_BAND,
  PRIOR_SPAN,
  priorMap,
  priorRanks,
} from "./prior.ts";

/** The order (indices) of candidates by their rank scores, ties by index. */
const order = (ranks: number[]) =>
  ranks
    .map((r, i) => [r, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, i]) => i);

test("within the band, a result people commonly do passes a close one rarely done", () => {
  const top = 80;
  const close = top * (1 - PRIOR_SPAN / 2);
  const ranks = priorRanks(
    [
      { score: top, exact: false, prior: -1 },
      { score: close, exact: false, prior: 1 },
    ],
    top,
  );
  assert.deepEqual(order(ranks), [1, 0], "the common one first");
});

test("outside the band the prior changes nothing, and band results stay above the rest", () => {
  const top = 80;
  const far = top * (1 - PRIOR_BAND) - 0.01;
  const ranks = priorRanks(
    [
      { score: top, exact: false, prior: -1 },
      { score: far, exact: false, prior: 1 },
      { score: far - 1, exact: false, prior: 1 },
      { score: far - 0.5, exact: false, prior: -1 },
    ],
    top,
  );
  assert.deepEqual(order(ranks), [0, 1, 3, 2], "lexical order: the prior acts only near the top");
  assert.equal(ranks[1], far, "a score outside the band is its rank");
});

test("a gap larger than the span is not crossed, even from −1 to +1", () => {
  const top = 90;
  const gap = 2 * PRIOR_SPAN * top + 0.01;
  const ranks = priorRanks(
    [
      { score: top, exact: false, prior: -1 },
      { score: top - gap, exact: false, prior: 1 },
    ],
    top,
  );
  assert.deepEqual(order(ranks), [0, 1], "the prior moves a result by at most PRIOR_SPAN of the top score");
});

test("an exact official match is never buried: not by a prior of −1, not by a close result with +1", () => {
  const top = 90;
  const ranks = priorRanks(
    [
      { score: top - 0.1, exact: false, prior: 1 },
      { score: top, exact: true, prior: -1 },
      { score: top - 0.2, exact: true, prior: -1 },
      { score: top - 0.3, exact: false, prior: 1 },
    ],
    top,
  );
  assert.deepEqual(order(ranks), [1, 0, 2, 3], "no result passes an exact match that scored at least as high");
});

test("a non-exact result scored above an exact match stays above it", () => {
  const top = 95;
  const ranks = priorRanks(
    [
      { score: top, exact: false, prior: 0 },
      { score: top - 1, exact: true, prior: 0 },
    ],
    top,
  );
  assert.deepEqual(order(ranks), [0, 1], "the prior alone never reorders by exactness");
});

test("the learned part is log-scaled and capped: popularity cannot snowball", () => {
  assert.equal(learnedWeight(0), 0);
  assert.equal(learnedWeight(-5), 0);
  assert.ok(learnedWeight(10) > learnedWeight(1), "more opens weigh more");
  assert.ok(
    learnedWeight(100) < 2 * learnedWeight(10),
    "log-scaled: ten times the opens weigh far less than ten times",
  );
  assert.equal(learnedWeight(LEARNED_SATURATION), LEARNED_CAP);
  assert.equal(learnedWeight(1e9), LEARNED_CAP, "never past the cap");
  assert.equal(combinedPrior({ field: 1, learned: 5 }), 1, "within [−1, 1]");
  assert.equal(combinedPrior({ field: -1, learned: 5 }), -1 + LEARNED_CAP, "the learned part is capped");
  assert.equal(combinedPrior({ procedure: 0.2, field: -1 }), 0.2, "a procedure's own weight wins over its field's");
  assert.equal(combinedPrior({ procedure: null, field: -0.5 }), -0.5);
});

test("priorMap: by field and procedure, zeros left out", () => {
  const m = priorMap(
    [
      { id: "procedure:1", code: "1", field: "Hộ tịch" },
      { id: "procedure:2", code: "2", field: "Hải quan" },
      { id: "procedure:3", code: "3", field: "Khác" },
      { id: "news:1" },
    ],
    {
      fields: new Map([
        ["Hộ tịch", 1],
        ["Hải quan", -1],
      ]),
      procedures: new Map([["2", 0.5]]),
      learned: new Map([["news:1", 0.1]]),
    },
  );
  assert.deepEqual(
    [...m],
    [
      ["procedure:1", 1],
      ["procedure:2", 0.5],
      ["news:1", 0.1],
    ],
  );
});

test("audience: a procedure only organisations file is capped by the audience's weight, persons' are not", () => {
  assert.equal(audienceOf("Doanh nghiệp, Tổ chức (không bao gồm doanh nghiệp, HTX)"), ORGANISATIONS_ONLY);
  assert.equal(audienceOf("Cán bộ, công chức, viên chức, Hợp tác xã"), ORGANISATIONS_ONLY, "officials in office");
  assert.equal(audienceOf("Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam"), null, "a citizen may file");
  assert.equal(audienceOf("Người nước ngoài"), null, "a foreign person");
  assert.equal(audienceOf(""), null, "unknown: no audience");
  assert.equal(combinedPrior({ field: 1, audience: -1 }), -1, "the field's weight is capped");
  assert.equal(combinedPrior({ field: -1, audience: 0 }), -1, "a cap never lifts");
  assert.equal(combinedPrior({ audience: -1 }), -1, "no field weight: the cap of 0");
  assert.equal(combinedPrior({ procedure: 0.5, field: 1, audience: -1 }), 0.5, "a procedure's own weight wins");
  const m = priorMap(
    [
      { id: "procedure:1", code: "1", field: "Đất đai", audience: null },
      { id: "procedure:2", code: "2", field: "Đất đai", audience: ORGANISATIONS_ONLY },
    ],
    {
      fields: new Map([["Đất đai", 0.6]]),
      procedures: new Map(),
      audiences: new Map([[ORGANISATIONS_ONLY, -0.8]]),
      learned: new Map(),
    },
  );
  assert.deepEqual(
    [...m],
    [
      ["procedure:1", 0.6],
      ["procedure:2", -0.8],
    ],
  );
});

test("the index applies the prior near the top only, and keeps exact matches first", () => {
  const idx = new SearchIndex();
  idx.upsert({ id: "a", kind: "procedure", title: "Khai báo hàng hóa xuất khẩu" });
  idx.upsert({ id: "b", kind: "procedure", title: "Khai báo tạm vắng" });
  idx.upsert({ id: "c", kind: "procedure", title: "Thủ tục khai báo hải quan" });
  const ids = (q: string, prior?: Map<string, number>) => idx.search(q, { prior }).items.map((h) => h.id);
  const plain = ids("khai bao ");
  assert.notEqual(plain[0], "a", `lexically, the longest title is not first: ${plain}`);
  const withPrior = ids(
    "khai bao ",
    new Map([
      ["a", 1],
      ["b", -1],
      ["c", -1],
    ]),
  );
  assert.equal(withPrior[0], "a", `the common one first among close results: ${withPrior}`);
  assert.deepEqual([...withPrior].sort(), [...plain].sort(), "the same results");
  // "khai báo hải quan": the customs title holds it as typed; the prior of −1 does not bury it.
  const exact = ids(
    "khai báo hải quan",
    new Map([
      ["c", -1],
      ["b", 1],
      ["a", 1],
    ]),
  );
  assert.equal(exact[0], "c", `the exact official match first: ${exact}`);
});
