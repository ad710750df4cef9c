import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { spelledOut } from "./abbreviations.ts";
import { syllables } from "./analyze.ts";
import { type SearchDoc, SearchIndex } from "./index.ts";
import { DEFAULT_SYNONYMS } from "./synonyms.ts";

interface Procedure {
  ma_thu_tuc: string;
  ten_thu_tuc: string;
  linh_vuc: string;
}

const file = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "data/tthc-dichvucong-2026/cap-xa.jsonl");
const procedures: Procedure[] = fs
  .readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Procedure);

const asDoc = (p: Procedure): SearchDoc => ({
  id: p.ma_thu_tuc,
  kind: "procedure",
  title: p.ten_thu_tuc,
  keywords: p.linh_vuc,
});

function catalogue(order: readonly Procedure[] = procedures): SearchIndex {
  const index = new SearchIndex();
  for (const p of order) index.upsert(asDoc(p));
  return index;
}

const index = catalogue();
const titles = (q: string, opts = {}) =>
  index.search(q, { synonyms: DEFAULT_SYNONYMS, limit: 10, ...opts }).items.map((i) => i.title);

const PLAIN = "Thủ tục đăng ký khai sinh";

describe("search over the real commune-level procedures", () => {
  test("the catalogue is the real one", () => {
    assert.equal(procedures.length, 588);
    assert.equal(index.size, new Set(procedures.map((p) => p.ma_thu_tuc)).size);
    assert.ok(
      procedures.some((p) => p.ten_thu_tuc === PLAIN),
      "expected: procedures.some((p) => p.ten_thu_tuc === PLAIN)",
    );
  });

  test("'dang ky khai sinh' puts the plain procedure first, its variants after", () => {
    const got = titles("dang ky khai sinh", { limit: 20 });
    assert.equal(got[0], PLAIN);
    for (const variant of [
      "Thủ tục đăng ký khai sinh lưu động",
      "Thủ tục đăng ký khai sinh có yếu tố nước ngoài",
      "Thủ tục đăng ký lại khai sinh",
    ]) {
      const at = got.indexOf(variant);
      assert.ok(at > 0, `${variant} in the first 20, after the plain one: ${got.join(" | ")}`);
    }
    // Every title shown holds every word.
    for (const t of got) for (const w of ["dang", "ki", "khai", "sinh"]) assert.ok(syllables(t).includes(w), t);
  });

  test("the plain procedure also wins for other near-duplicate families", () => {
    assert.equal(titles("dang ky ket hon")[0], "Thủ tục đăng ký kết hôn");
    assert.equal(titles("khai tu")[0], "Thủ tục đăng ký khai tử");
    assert.equal(titles("dang ky thuong tru")[0], "Đăng ký thường trú");
  });

  test("tone marks, case and Unicode form do not matter", () => {
    const reference = titles("dang ky khai sinh");
    assert.deepEqual(titles("DANG KY KHAI SINH"), reference);
    assert.deepEqual(titles("Đăng ký khai sinh".normalize("NFD")), titles("Đăng ký khai sinh"));
    assert.equal(titles("Đăng ký khai sinh".normalize("NFD"))[0], PLAIN);
    assert.equal(titles("đăng kí khai sinh")[0], PLAIN);
  });

  test("abbreviations and everyday words through the synonym table", () => {
    assert.equal(titles("đk khai sinh")[0], PLAIN);
    assert.equal(titles("dk khai sinh", { synonyms: [{ from: "đk", to: ["đăng ký"] }] })[0], PLAIN);
    const r = index.search("đk khai sinh", { synonyms: DEFAULT_SYNONYMS });
    assert.equal(r.approximate, false);
    assert.ok(
      r.items[0]?.highlights.title.includes("<mark>đăng ký khai sinh</mark>"),
      'expected: r.items[0]?.highlights.title.includes("<mark>đăng ký khai sinh</mark>")',
    );
    assert.match(titles("so do")[0] ?? "", /Giấy chứng nhận quyền sử dụng đất/);
    assert.match(titles("ho khau")[0] ?? "", /thường trú/);
    assert.match(titles("cong chung")[0] ?? "", /^Chứng thực/);
    assert.ok(
      titles("bhxh").every((t) => /bhxh|bảo hiểm xã hội/i.test(t)),
      'expected: titles("bhxh").every((t) => /bhxh|bảo hiểm xã hội/i.test(t))',
    );
    assert.ok(
      titles("bhxh", { limit: 50 }).some((t) => /bảo hiểm xã hội/i.test(t)),
      'expected: titles("bhxh", { limit: 50 }).some((t) => /bảo hiểm xã hội/i.test(t))',
    );
    // Expansions score a bit lower than the words as typed.
    const typed = index.search("dang ky khai sinh", { synonyms: DEFAULT_SYNONYMS }).items[0];
    const expanded = index.search("đk khai sinh", { synonyms: DEFAULT_SYNONYMS }).items[0];
    assert.ok(typed && expanded && expanded.score < typed.score, "a synonym match ranks below the typed word");
  });

  test("the word being typed matches as a prefix", () => {
    const got = titles("khai si");
    assert.equal(got[0], PLAIN);
    assert.ok(
      got.every((t) => /khai sinh/i.test(t)),
      "expected: got.every((t) => /khai sinh/i.test(t))",
    );
    assert.ok(titles("dang ky khai s").includes(PLAIN), 'expected: titles("dang ky khai s").includes(PLAIN)');
  });

  test("matched words are highlighted, the title's own spelling kept", () => {
    const hit = index.search("dang ky khai sinh").items[0];
    assert.equal(hit?.highlights.title, "Thủ tục <mark>đăng ký khai sinh</mark>");
    assert.equal(hit?.title, PLAIN);
  });

  test("a misspelt word is matched approximately", () => {
    const r = index.search("dang ky khai sihn");
    assert.equal(r.approximate, true);
    assert.equal(r.items[0]?.title, PLAIN);
  });

  test("the order is deterministic, whatever the order the rows were loaded in", () => {
    const reversed = catalogue([...procedures].reverse());
    const shuffled = catalogue(
      [...procedures].sort((a, b) => ((a.ten_thu_tuc.length * 7919) % 101) - ((b.ten_thu_tuc.length * 7919) % 101)),
    );
    for (const q of ["dang ky khai sinh", "thu tuc", "cap", "chung thuc", "ho khau", "xac nhan"]) {
      const opts = { synonyms: DEFAULT_SYNONYMS, limit: 50 };
      const a = index.search(q, opts);
      const b = reversed.search(q, opts);
      const c = shuffled.search(q, opts);
      assert.deepEqual(b, a, q);
      assert.deepEqual(c, a, q);
      assert.deepEqual(index.search(q, opts), a, q);
    }
  });

  test("equal scores are ordered by title, then id", () => {
    const items = index.search("cap", { limit: 200 }).items;
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]] as [(typeof items)[0], (typeof items)[0]];
      assert.ok(a.score >= b.score, "results come in descending score");
      if (a.score === b.score)
        assert.ok(
          syllables(a.title).join(" ") <= syllables(b.title).join(" "),
          'expected: syllables(a.title).join(" ") <= syllables(b.title).join(" ")',
        );
    }
  });

  test("paging with offset and limit", () => {
    const all = index.search("chung thuc", { limit: 30 });
    const page2 = index.search("chung thuc", { limit: 10, offset: 10 });
    assert.deepEqual(page2.items, all.items.slice(10, 20));
    assert.equal(page2.total, all.total);
  });

  test("suggestions for the page shown when nothing matches", () => {
    assert.equal(index.search("kahi sinh dang kyy xx").total > 0, true);
    const typo = index.suggest("khai sin");
    assert.equal(typo.query, "khai sinh");
    assert.ok(
      typo.items.some((i) => i.title === PLAIN),
      "expected: typo.items.some((i) => i.title === PLAIN)",
    );
    const runTogether = index.suggest("dangky khaisinh");
    assert.equal(runTogether.query, "đăng ký khai sinh");
    assert.equal(runTogether.items[0]?.title, PLAIN);
    const swapped = index.suggest("dnag ky khia sinh");
    assert.equal(swapped.query, "đăng ký khai sinh");
    assert.equal(index.suggest("dang ky khai sinh").query, null);
    assert.deepEqual(index.suggest("zzzzqq"), { query: null, items: [] });
    assert.deepEqual(index.search("zzzzqq"), { total: 0, items: [], approximate: false });
    assert.deepEqual(index.search("  "), { total: 0, items: [], approximate: false });
  });
});

describe("documents in and out", () => {
  test("titles with HTML are escaped in highlights", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "x", kind: "news", title: `<img src=x onerror="alert(1)"> Đăng ký & khai sinh` });
    const hit = idx.search("khai sinh").items[0];
    assert.equal(
      hit?.highlights.title,
      `&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Đăng ký &amp; <mark>khai sinh</mark>`,
    );
  });

  test("kinds and scope filters", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "p", kind: "procedure", title: "Thủ tục đăng ký khai sinh" });
    idx.upsert({ id: "n1", kind: "news", title: "Hướng dẫn đăng ký khai sinh trực tuyến", scope: ["21439"] });
    idx.upsert({ id: "n2", kind: "news", title: "Đăng ký khai sinh cho trẻ em tại phường", scope: ["21463"] });
    idx.upsert({ id: "a", kind: "answer", title: "Hỏi đáp về khai sinh", body: "Đăng ký khai sinh ở đâu?" });
    const ids = (opts = {}) =>
      idx
        .search("dang ky khai sinh", opts)
        .items.map((i) => i.id)
        .sort();
    assert.deepEqual(ids(), ["a", "n1", "n2", "p"]);
    assert.deepEqual(ids({ kinds: ["news"] }), ["n1", "n2"]);
    assert.deepEqual(ids({ kinds: ["news", "answer"], scope: "21439" }), ["a", "n1"]);
    assert.deepEqual(ids({ scope: "21463" }), ["a", "n2", "p"]);
    assert.deepEqual(ids({ kinds: ["nothing"] }), []);
    assert.equal(idx.search("dang ky khai sinh", { scope: "21463" }).total, 3);
    // Found in the body only: ranked after the titles.
    assert.equal(idx.search("dang ky khai sinh").items.at(-1)?.id, "a");
  });

  test("words found only in bodies are weak: titles missing one word are added, and may rank first", () => {
    const idx = new SearchIndex();
    for (let i = 0; i < 6; i++)
      idx.upsert({
        id: `b${i}`,
        kind: "procedure",
        title: `Thủ tục số ${i}`,
        body: "Người bị mất hộ chiếu nộp tờ khai",
      });
    idx.upsert({ id: "t", kind: "procedure", title: "Trình báo mất hộ chiếu phổ thông" });
    const r = idx.search("bị mất hộ chiếu");
    assert.equal(r.items[0]?.id, "t");
    assert.equal(r.total, 7);
    // Five documents holding every word in their titles: nothing is added.
    for (let i = 0; i < 5; i++) idx.upsert({ id: `s${i}`, kind: "procedure", title: `Bị mất hộ chiếu ${i}` });
    assert.ok(
      !idx.search("bị mất hộ chiếu", { limit: 50 }).items.some((h) => h.id === "t"),
      'expected: !idx.search("bị mất hộ chiếu", { limit: 50 }).items.some((h) => h.id === "t")',
    );
  });

  test("fewer than three results are completed, below them, by documents holding half of the words", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "ks", kind: "procedure", title: "Đăng ký khai sinh" });
    idx.upsert({ id: "bs", kind: "procedure", title: "Cấp bản sao trích lục khai sinh" });
    idx.upsert({ id: "kt", kind: "procedure", title: "Đăng ký khai tử lưu động" });
    idx.upsert({ id: "kh", kind: "procedure", title: "Đăng ký kết hôn" });
    const r = idx.search("khai sinh ");
    assert.deepEqual(
      r.items.map((h) => h.id),
      ["ks", "bs", "kt"],
      "the two full matches first, then the one holding «khai»; «kết hôn» holds neither word",
    );
    const [ks, bs, kt] = r.items.map((h) => h.score);
    assert.ok(
      (kt as number) < (bs as number) && (bs as number) <= (ks as number),
      `a partial match stays below: ${r.items.map((h) => h.score)}`,
    );
    assert.equal(r.approximate, false, "the first results match every word");
    // Three full matches: nothing is added.
    idx.upsert({ id: "kl", kind: "procedure", title: "Đăng ký lại khai sinh" });
    assert.deepEqual(
      idx
        .search("khai sinh ")
        .items.map((h) => h.id)
        .sort(),
      ["bs", "kl", "ks"],
      "three full matches are enough",
    );
  });

  test("a scope list admits the documents of any of its scopes (a ward and its province)", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "national", kind: "procedure", title: "Đăng ký khai sinh" });
    idx.upsert({ id: "province", kind: "procedure", title: "Hỗ trợ khai sinh của tỉnh", scope: ["unit:51"] });
    idx.upsert({ id: "ward", kind: "news", title: "Khai sinh trực tuyến tại phường", scope: ["unit:21439"] });
    idx.upsert({ id: "other", kind: "news", title: "Khai sinh ở phường khác", scope: ["unit:21463", "unit:42"] });
    idx.upsert({ id: "hidden", kind: "procedure", title: "Khai sinh cấp tỉnh", scope: ["national:other-levels"] });
    const ids = (scope: string | readonly string[]) =>
      idx
        .search("khai sinh", { scope })
        .items.map((i) => i.id)
        .sort();
    assert.deepEqual(ids(["unit:21439", "unit:51"]), ["national", "province", "ward"]);
    assert.deepEqual(ids(["unit:42"]), ["national", "other"]);
    assert.deepEqual(ids("unit:51"), ["national", "province"]);
    assert.deepEqual(ids([]), ["national"]);
    assert.equal(idx.search("khai sinh", { scope: ["unit:21439", "unit:51"] }).total, 3);
  });

  test("upsert replaces a document with the same id", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "1", kind: "procedure", title: "Đăng ký kết hôn" });
    idx.upsert({ id: "1", kind: "procedure", title: "Đăng ký khai tử" });
    assert.equal(idx.size, 1);
    assert.equal(idx.search("ket hon").total, 0);
    assert.deepEqual(
      idx.search("khai tu").items.map((i) => [i.id, i.title]),
      [["1", "Đăng ký khai tử"]],
    );
  });

  test("remove takes a document out", () => {
    const idx = catalogue();
    const plain = procedures.find((p) => p.ten_thu_tuc === PLAIN) as Procedure;
    const before = idx.search("dang ky khai sinh").total;
    assert.equal(idx.remove(plain.ma_thu_tuc), true);
    assert.equal(idx.remove(plain.ma_thu_tuc), false);
    assert.equal(idx.has(plain.ma_thu_tuc), false);
    const after = idx.search("dang ky khai sinh");
    assert.equal(after.total, before - 1);
    assert.ok(
      !after.items.some((i) => i.id === plain.ma_thu_tuc),
      "expected: !after.items.some((i) => i.id === plain.ma_thu_tuc)",
    );
    idx.upsert(asDoc(plain));
    assert.equal(idx.search("dang ky khai sinh").items[0]?.title, PLAIN);
    idx.clear();
    assert.equal(idx.size, 0);
    assert.equal(idx.search("khai sinh").total, 0);
  });

  test("boost lifts a document", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "a", kind: "procedure", title: "Đăng ký khai sinh" });
    idx.upsert({ id: "b", kind: "news", title: "Đăng ký khai sinh lưu động tại xã", boost: 2 });
    assert.deepEqual(
      idx.search("khai sinh").items.map((i) => i.id),
      ["b", "a"],
    );
  });
});

describe("concepts of a sentence", () => {
  const small = () => {
    const idx = new SearchIndex();
    for (const [id, title] of [
      ["plain", "Thủ tục đăng ký kết hôn"],
      ["again", "Thủ tục đăng ký lại kết hôn"],
      ["mobile", "Thủ tục đăng ký kết hôn lưu động"],
      ["land", "Thu hồi giấy chứng nhận đã cấp không đúng quy định về quyền sử dụng đất"],
    ] as const)
      idx.upsert({ id, kind: "procedure", title });
    return idx;
  };
  const table = [
    { from: "giấy hôn thú", to: ["đăng ký kết hôn"], weight: 0.97 },
    { from: "bị cháy", to: ["cấp lại", "đăng ký lại"], weight: 0.95 },
    { from: "sổ đỏ", to: ["giấy chứng nhận quyền sử dụng đất"], weight: 0.98 },
  ];

  test("a paper and what happened to it are read together, through the second alternative", () => {
    const r = small().search("giấy hôn thú nhà tôi bị cháy hết rồi", { synonyms: table, limit: 3 });
    assert.equal(r.items[0]?.id, "again", "«kết hôn» + «đăng ký lại» names the re-registration, not the plain one");
  });

  test("what the concept leaves out of the sentence tells its procedures apart", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "card", kind: "procedure", title: "Cấp lại thẻ căn cước" });
    idx.upsert({ id: "vehicle", kind: "procedure", title: "Cấp lại chứng nhận đăng ký xe máy, ô tô" });
    const lost = [{ from: "bị mất cắp", to: ["cấp lại"], weight: 0.95 }];
    const r = idx.search("chiếc xe máy bị mất cắp hôm qua", { synonyms: lost, limit: 2 });
    assert.equal(r.items[0]?.id, "vehicle", "«xe máy» of the sentence names the vehicle's registration");
    assert.equal(idx.search("thẻ bị mất cắp hôm qua", { synonyms: lost, limit: 1 }).items[0]?.id, "card");
  });

  test("a match of every word scattered over a title and keywords does not keep the sentence's concept unread", () => {
    const idx = new SearchIndex();
    idx.upsert({ id: "death", kind: "procedure", title: "Thủ tục đăng ký khai tử" });
    idx.upsert({
      id: "portal",
      kind: "procedure",
      title: "Đăng ký bổ sung mật khẩu tài khoản ở cổng thông tin điện tử",
      keywords: "bệnh viện cấp tỉnh",
    });
    const died = [{ from: "mất", to: ["đăng ký khai tử"], weight: 0.97 }];
    const r = idx.search("bố mất ở bệnh viện tỉnh", { synonyms: died, limit: 2 });
    assert.equal(r.items[0]?.id, "death", `the death, not the portal holding every word: ${r.items.map((i) => i.id)}`);
  });

  test("the reading's words are spelt as the first result's title spells them, in their place", () => {
    const r = small().search("sổ đỏ", { synonyms: table, limit: 1 });
    assert.equal(r.readAs, "giấy chứng nhận quyền sử dụng đất", "«dụng» of «sử dụng», not «đúng» earlier in the title");
  });
});

describe("a large index: common syllables, bitmaps, the candidate cap, compaction", () => {
  // Titles recombined from the real ones (deterministic), so common syllables are common.
  const words = procedures.flatMap((p) => p.ten_thu_tuc.split(/\s+/));
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const docs: SearchDoc[] = Array.from({ length: 12_000 }, (_, i) => {
    const n = 4 + Math.floor(next() * 14);
    const start = Math.floor(next() * (words.length - n));
    return {
      id: `d${i}`,
      kind: i % 3 === 0 ? "news" : "procedure",
      title: words.slice(start, start + n).join(" "),
      body:
        i % 4 === 0
          ? words.slice((start * 7) % (words.length - 40), ((start * 7) % (words.length - 40)) + 40).join(" ")
          : "",
      scope: i % 5 === 0 ? ["21439"] : undefined,
    };
  });
  const idx = new SearchIndex();
  for (const d of docs) idx.upsert(d);
  // A title's abbreviations count with their full words (abbreviations.ts), as the index keeps them.
  const sets = new Map(
    docs.map((d) => [
      d.id,
      [...syllables(`${d.title} ${d.body ?? ""}`), ...syllables(d.title ?? "").flatMap((w) => spelledOut(w))],
    ]),
  );

  /** Reference: documents holding every word (the last one as a prefix unless followed by a space). */
  const brute = (q: string, filter: (d: SearchDoc) => boolean = () => true) => {
    const qs = syllables(q);
    const open = !/\s$/.test(q);
    return docs.filter((d) => {
      if (!idx.has(d.id) || !filter(d)) return false;
      const s = sets.get(d.id) ?? [];
      return qs.every((w, i) => (open && i === qs.length - 1 ? s.some((x) => x.startsWith(w)) : s.includes(w)));
    }).length;
  };

  test("totals are exact, past the cap and through the bitmaps", () => {
    for (const q of ["thu", "thu ", "dang ky", "cap", "xa ", "thu tuc dang ky", "khai sinh", "d"]) {
      const r = idx.search(q, { limit: 20 });
      assert.equal(r.total, brute(q), q);
      for (const hit of r.items) {
        const s = sets.get(hit.id) ?? [];
        for (const w of syllables(q).slice(0, -1)) assert.ok(s.includes(w), `${q}: ${hit.title}`);
      }
    }
  });

  test("filters through the bitmaps", () => {
    const r = idx.search("thu", { kinds: ["news"], scope: "21439", limit: 200 });
    assert.equal(
      r.total,
      brute("thu", (d) => d.kind === "news" && (d.scope === undefined || d.scope.includes("21439"))),
    );
    const kinds = new Map(docs.map((d) => [d.id, d]));
    for (const hit of r.items) {
      const d = kinds.get(hit.id) as SearchDoc;
      assert.equal(d.kind, "news");
      assert.ok(
        d.scope === undefined || d.scope.includes("21439"),
        'expected: d.scope === undefined || d.scope.includes("21439")',
      );
    }
  });

  test("a small cap keeps the order deterministic and the total exact", () => {
    const a = idx.search("cap", { candidateCap: 50 });
    const b = idx.search("cap", { candidateCap: 50 });
    assert.deepEqual(a, b);
    assert.equal(a.total, idx.search("cap", { candidateCap: 100_000 }).total);
    // With every candidate scored, the best is at least as good.
    assert.ok(
      (idx.search("cap", { candidateCap: 100_000 }).items[0]?.score ?? 0) >= (a.items[0]?.score ?? 0),
      'expected: (idx.search("cap", { candidateCap: 100_000 }).items[0]?.score ?? 0) >= (a.items[0]?.sco...',
    );
  });

  test("removing most documents compacts the index; results stay right", () => {
    const small = new SearchIndex();
    for (const d of docs.slice(0, 4000)) small.upsert(d);
    for (const d of docs.slice(0, 3000)) small.remove(d.id);
    assert.equal(small.size, 1000);
    const live = new Set(docs.slice(3000, 4000).map((d) => d.id));
    const expected = docs.filter(
      (d) => live.has(d.id) && (sets.get(d.id) ?? []).some((x) => x.startsWith("thu")),
    ).length;
    const r = small.search("thu", { limit: 200 });
    assert.equal(r.total, expected);
    assert.ok(
      r.items.every((i) => live.has(i.id)),
      "expected: r.items.every((i) => live.has(i.id))",
    );
    // Replacing and adding documents after compaction.
    small.upsert({ id: "d3500", kind: "procedure", title: "Thủ tục quyzzz" });
    small.upsert({ id: "new", kind: "procedure", title: "Quyzzz mới" });
    assert.deepEqual(
      small
        .search("quyzzz")
        .items.map((i) => i.id)
        .sort(),
      ["d3500", "new"],
    );
    assert.equal(small.size, 1001);
  });
});

describe("the index's memory in bytes", () => {
  /** `n` documents of a few distinct Vietnamese words each, numbered so each has syllables of its own. */
  const docs = (from: number, n: number): SearchDoc[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `d${from + i}`,
      kind: "procedure",
      title: `Thủ tục đăng ký hộ tịch số ${from + i} tại phường`,
      body: `Hồ sơ gồm tờ khai, giấy tờ tùy thân; mã ${(from + i).toString(36)}x${i % 97}.`,
    }));

  test("grows with the documents and shrinks back when they are removed", () => {
    const index = new SearchIndex();
    const empty = index.memoryBytes();
    assert.ok(empty > 0, `an empty index has its arrays: ${empty}`);
    for (const d of docs(0, 2_000)) index.upsert(d);
    const two = index.memoryBytes();
    for (const d of docs(2_000, 8_000)) index.upsert(d);
    const ten = index.memoryBytes();
    assert.ok(two > empty, `2,000 documents take memory: ${two} > ${empty}`);
    assert.ok(ten > two * 2, `10,000 documents take several times more than 2,000: ${ten} against ${two}`);
    // At least the titles' text: each document's title is held (as 2-byte characters: Vietnamese is beyond Latin-1).
    const titles = docs(0, 10_000).reduce((n, d) => n + 2 * (d.title as string).length, 0);
    assert.ok(ten > titles, `the figure covers at least the titles held: ${ten} > ${titles}`);
    assert.equal(index.memoryBytes(), ten, "computed again only after a change");
    for (let i = 0; i < 10_000; i++) index.remove(`d${i}`);
    assert.ok(index.memoryBytes() < ten, "removing every document (compacted) gives memory back");
  });
});
