import assert from "node:assert/strict";
import { test } from "node:test";
import { analyseWord, parseQuery, queryTokens, type SynonymTable, syllables, tokenize } from "./analyze.ts";

test("syllables fold case, tone marks and đ, NFC and NFD alike", () => {
  const nfc = "Thủ tục ĐĂNG KÝ khai sinh";
  assert.deepEqual(syllables(nfc), ["thu", "tuc", "dang", "ki", "khai", "sinh"]);
  assert.deepEqual(syllables(nfc.normalize("NFD")), syllables(nfc));
  assert.deepEqual(syllables("Cấp, đổi – thẻ (căn cước)/CCCD"), ["cap", "doi", "the", "can", "cuoc", "cccd"]);
});

test("spelling variants: consonant + y is also written with i, numbers lose leading zeros", () => {
  assert.equal(analyseWord("ký").folded, analyseWord("kí").folded);
  assert.equal(analyseWord("lý").folded, "li");
  assert.equal(analyseWord("quy").folded, analyseWord("qui").folded);
  // "y" after a vowel, or alone, is not a spelling variant.
  assert.equal(analyseWord("thủy").folded, "thuy");
  assert.equal(analyseWord("y").folded, "y");
  assert.equal(analyseWord("02").folded, "2");
  assert.equal(analyseWord("0").folded, "0");
});

test("tone keys tell diacritics apart but not tone placement or ký/kí", () => {
  assert.equal(analyseWord("hoà").tone, analyseWord("hòa").tone);
  assert.equal(analyseWord("ký").tone, analyseWord("kí").tone);
  assert.notEqual(analyseWord("đăng").tone, analyseWord("đang").tone);
  assert.notEqual(analyseWord("đang").tone, analyseWord("dang").tone);
  assert.equal(analyseWord("dang").tone, "dang");
});

test("tokenize gives positions and offsets into the text", () => {
  const text = "Đăng ký, khai sinh";
  const t = tokenize(text);
  assert.deepEqual(
    t.map((x) => [x.folded, x.pos, text.slice(x.start, x.end)]),
    [
      ["dang", 0, "Đăng"],
      ["ki", 1, "ký"],
      ["khai", 2, "khai"],
      ["sinh", 3, "sinh"],
    ],
  );
});

test("the last query word is a prefix unless a space or punctuation follows it", () => {
  assert.deepEqual(
    queryTokens("khai si").map((t) => t.prefix),
    [false, true],
  );
  assert.deepEqual(
    queryTokens("khai si ").map((t) => t.prefix),
    [false, false],
  );
  assert.equal(queryTokens("đăng")[0]?.tone !== null, true);
  assert.equal(queryTokens("dang")[0]?.tone, null);
  assert.deepEqual(queryTokens("  ,;  "), []);
});

test("synonyms: abbreviations and multi-word phrases expand, the words as typed come first", () => {
  const table: SynonymTable = [
    { from: "đk", to: ["đăng ký"] },
    { from: "sổ đỏ", to: ["giấy chứng nhận quyền sử dụng đất"], weight: 0.95 },
    { from: "xin", to: [] },
  ];
  const q = parseQuery("DK khai sinh", table);
  assert.deepEqual(
    q.variants.map((v) => [v.text, v.weight]),
    [
      ["dk khai sinh", 1],
      ["dang ki khai sinh", 0.9],
    ],
  );
  const land = parseQuery("xin cap so do", table);
  assert.deepEqual(
    land.variants.map((v) => v.text),
    [
      "xin cap so do",
      "cap giay chung nhan quyen su dung dat",
      "cap so do",
      "xin cap giay chung nhan quyen su dung dat",
    ],
  );
  assert.equal(land.variants[1]?.weight, 0.9 * 0.95);
  // A phrase is matched whole: "sổ" alone is left alone.
  assert.deepEqual(
    parseQuery("so ho tich", table).variants.map((v) => v.text),
    ["so ho tich"],
  );
  // Expanded words are whole words; the word being typed stays a prefix when it is not expanded.
  const typed = parseQuery("đk khai si", table).variants[1];
  assert.deepEqual(
    typed?.tokens.map((t) => t.prefix),
    [false, false, false, true],
  );
});

test("synonyms chain: a reading's expanded words may match another entry, weights multiplied", () => {
  const table: SynonymTable = [
    { from: "hk", to: ["hộ khẩu"] },
    { from: "nhập hộ khẩu", to: ["đăng ký thường trú"] },
  ];
  const q = parseQuery("nhap hk", table);
  assert.deepEqual(
    q.variants.map((v) => v.text),
    ["nhap hk", "nhap ho khau", "dang ki thuong tru"],
  );
  assert.ok(
    Math.abs((q.variants[2]?.weight ?? 0) - 0.81) < 1e-9,
    "expected: Math.abs((q.variants[2]?.weight ?? 0) - 0.81) < 1e-9",
  );
  // One round more only: a table that maps back and forth ends.
  const loop: SynonymTable = [
    { from: "một", to: ["1"] },
    { from: "1", to: ["một"] },
  ];
  assert.deepEqual(
    parseQuery("mot lan", loop).variants.map((v) => v.text),
    ["mot lan", "1 lan"],
  );
});
