import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  associationScores,
  featuresOf,
  learnAssociations,
  MAX_IDS_PER_FEATURE,
  queryFeatures,
} from "./associations.ts";
import { ASSOCIATION_STRONG, SearchIndex } from "./index.ts";
import { DEFAULT_SYNONYMS } from "./synonyms.ts";

describe("associations learnt from earlier queries", () => {
  test("a query's features are its content words, folded, and each pair of adjacent ones", () => {
    assert.deepEqual(featuresOf(["dang", "ki", "ghe"]), ["dang", "ki", "ghe", "dang ki", "ki ghe"]);
    // Filler ("cho em hỏi", "ở đâu") is no feature; tone marks and case do not matter.
    const f = queryFeatures("Cho em hỏi đăng ký GHE ở đâu", DEFAULT_SYNONYMS);
    assert.ok(f.includes("ghe") && f.includes("dang ki"), `features: ${f.join(", ")}`);
    assert.ok(!f.includes("hoi") && !f.includes("dau"), `no filler: ${f.join(", ")}`);
  });

  test("each feature leads to the documents by share, rare features weigh more", () => {
    const t = learnAssociations([
      { q: "ghe máy", ids: ["a"] },
      { q: "ghe chở hàng", ids: ["a", "b"] },
      { q: "đăng ký xe máy", ids: ["c"] },
      { q: "xe máy mới", ids: ["c"] },
    ]);
    assert.equal(t.n, 4);
    assert.deepEqual(t.features.get("ghe"), {
      df: 2,
      ids: [
        { id: "a", share: 0.75 },
        { id: "b", share: 0.25 },
      ],
    });
    const s = associationScores(t, featuresOf(["ghe", "may"]));
    // "ghe" (in 2 of 4 examples) says more than "may" (in 3 of 4).
    assert.ok((s.get("a") as number) > (s.get("c") as number), `ghe máy → a before c: ${[...s]}`);
    assert.equal(associationScores(t, ["khong co"]).size, 0, "an unknown feature leads nowhere");
  });

  test("the table is the same whatever the order of the examples, and keeps the most associated documents", () => {
    const examples = Array.from({ length: MAX_IDS_PER_FEATURE + 10 }, (_, i) => ({
      q: `giấy ${i % 3 === 0 ? "tờ" : "phép"}`,
      ids: [`d${String(i).padStart(2, "0")}`, "top"],
    }));
    const a = learnAssociations(examples);
    const b = learnAssociations([...examples].reverse());
    assert.deepEqual([...a.features], [...b.features], "same table");
    const giay = a.features.get("giay");
    assert.equal(giay?.ids.length, MAX_IDS_PER_FEATURE, "capped");
    assert.equal(giay?.ids[0]?.id, "top", "the document every example led to first");
  });
});

describe("the index reads associations", () => {
  const index = new SearchIndex();
  for (const [id, title] of [
    ["neo", "Xác nhận nơi thường xuyên đậu, đỗ phương tiện để ở"],
    ["tt", "Đăng ký thường trú"],
    ["tt2", "Xóa đăng ký thường trú"],
    ["ks", "Đăng ký khai sinh"],
    ["ks2", "Đăng ký khai sinh lưu động"],
    ["kl", "Đăng ký lại khai sinh"],
  ] as const)
    index.upsert({ id, kind: "procedure", title });
  const table = learnAssociations([
    { q: "nhà ở trên ghe", ids: ["neo"] },
    { q: "ghe neo một chỗ", ids: ["neo"] },
    { q: "làm giấy cho bé lưu động", ids: ["ks2"] },
    { q: "nhập hộ khẩu", ids: ["tt"] },
    { q: "giấy cho bé mới sinh", ids: ["ks"] },
  ]);
  const ids = (q: string, associations = table) => index.search(q, { associations, limit: 5 }).items.map((h) => h.id);

  test("a document the words do not find joins through what earlier queries led to, first when the words are weak", () => {
    assert.notEqual(ids("thường trú trên ghe", learnAssociations([]))[0], "neo", "without: the words alone");
    assert.equal(ids("thường trú trên ghe")[0], "neo", "with: the mooring, which no word of the query names");
  });

  test("a strong match of the words is only reordered among close results, and an exact official match stays first", () => {
    const r = index.search("đăng ký khai sinh", { associations: table, limit: 5 });
    assert.ok((r.items[0]?.score as number) >= ASSOCIATION_STRONG, `a strong top score: ${r.items[0]?.score}`);
    assert.equal(r.items[0]?.id, "ks", "the exact official match first, whatever earlier queries said");
    // Earlier queries of the very words that all led to a re-registration (whose title does not hold them as a
    // phrase) do not lift it above the exact matches.
    const misled = learnAssociations([
      { q: "đăng ký khai sinh", ids: ["kl"] },
      { q: "khai sinh", ids: ["kl"] },
      { q: "nhập hộ khẩu", ids: ["tt"] },
    ]);
    assert.deepEqual(
      ids("đăng ký khai sinh", misled).slice(0, 2),
      ["ks", "ks2"],
      "the exact match first, then the rest",
    );
  });

  test("alone (the words find nothing), only strong evidence gives results", () => {
    assert.deepEqual(ids("một chỗ"), [], "two words a handful of earlier queries held: too little to answer alone");
    // The same words, rare among thousands of earlier queries, say much more.
    const many = learnAssociations([
      ...Array.from({ length: 2000 }, (_, i) => ({ q: `thuế đất số ${i}`, ids: [`x${i}`] })),
      { q: "ghe neo một chỗ", ids: ["neo"] },
    ]);
    assert.equal(ids("một chỗ", many)[0], "neo", "found through the associations alone");
  });

  test("filters apply to documents found only through associations", () => {
    const other = new SearchIndex();
    other.upsert({ id: "neo", kind: "news", title: "Tin về bến đậu" });
    other.upsert({ id: "tt", kind: "procedure", title: "Đăng ký thường trú" });
    const got = other.search("ở trên ghe", { associations: table, kinds: ["procedure"] }).items.map((h) => h.id);
    assert.ok(!got.includes("neo"), `a news item is not a procedure: ${got}`);
  });
});
