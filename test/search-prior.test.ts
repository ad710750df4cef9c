/**
 * The search prior (issue 11 §3) on the real 588 commune-level records with the shipped defaults (migration 039's
 * field weights): an exact official match is never buried ("khai hải quan" is customs first for a trader), and the
 * prior reorders only results whose lexical evidence is close.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PRIOR_BAND } from "../src/core/search/prior.ts";
import { DEFAULT_SYNONYMS } from "../src/core/search/synonyms.ts";
import { SHARED_DIR } from "./helpers/env.ts";
import { realIndex } from "./helpers/search-sets.ts";

const { index, names, prior } = realIndex(SHARED_DIR);
const search = (q: string, withPrior: boolean, limit = 10) =>
  index.search(q, { limit, synonyms: DEFAULT_SYNONYMS, prior: withPrior ? prior : undefined }).items;

test("the defaults rank customs low and civil status high", () => {
  const customs = [...names].find(([, n]) => /hải quan/i.test(n));
  assert.ok(customs, "the catalogue has customs procedures");
  assert.ok((prior.get(`procedure:${customs[0]}`) ?? 0) < 0, "customs weighs below 0");
  const birth = [...names].find(([, n]) => /^Thủ tục đăng ký khai sinh$/i.test(n));
  assert.ok(birth && (prior.get(`procedure:${birth[0]}`) ?? 0) > 0, "birth registration weighs above 0");
});

for (const q of ["khai hải quan", "khai hai quan", "thủ tục hải quan", "tờ khai hải quan"])
  test(`«${q}»: customs first, whatever its field's prior`, () => {
    const top = search(q, true, 3);
    assert.ok(top.length > 0, "found");
    assert.match(names.get(top[0]?.id.slice(10) ?? "") ?? "", /hải quan/i, `first: ${top[0]?.title}`);
  });

test("the prior reorders only results within the band of the top score", () => {
  let moved = 0;
  for (const q of ["khai", "đăng ký", "cấp lại", "giấy chứng nhận", "thuế", "xác nhận", "hỗ trợ", "bảo hiểm"]) {
    const plain = search(q, false, 200);
    const ranked = search(q, true, 200);
    const top = plain[0]?.score ?? 0;
    const inBand = (h: { score: number }) => h.score >= top * (1 - PRIOR_BAND);
    const band = plain.filter(inBand).length;
    if (band >= plain.length) continue;
    // The band comes first and holds the same results; past it, the lexical order is untouched.
    assert.deepEqual(
      ranked
        .slice(0, band)
        .map((h) => h.id)
        .sort(),
      plain
        .slice(0, band)
        .map((h) => h.id)
        .sort(),
      `«${q}»: same band`,
    );
    assert.deepEqual(
      ranked.slice(band).map((h) => h.id),
      plain.slice(band).map((h) => h.id),
      `«${q}»: lexical order outside the band`,
    );
    if (ranked.slice(0, band).some((h, i) => h.id !== plain[i]?.id)) moved++;
  }
  assert.ok(moved > 0, "the prior changed the order of some band");
});
