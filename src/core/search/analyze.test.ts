import assert from "node:assert/strict";
import { test } from "node:test";
import {
  analyseWord,
  MAX_QUERY_TOKENS,
  parseQuery,
  queryTokens,
  type SynonymTable,
  syllables,
  tokenize,
} from "./analyze.ts";

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
    q.variants.filter((v) => !v.concept).map((v) => [v.text, v.weight]),
    [
      ["dk khai sinh", 1],
      ["dang ki khai sinh", 0.9],
    ],
  );
  // "xin" is filler (an empty `to`): the query is read without it, and the phrase expands.
  const land = parseQuery("xin cap so do", table);
  assert.deepEqual(
    land.variants.filter((v) => !v.concept).map((v) => v.text),
    ["cap so do", "cap giay chung nhan quyen su dung dat"],
  );
  assert.equal(land.variants[1]?.weight, 0.95);
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
    q.variants.filter((v) => !v.concept).map((v) => v.text),
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
    parseQuery("mot lan", loop)
      .variants.filter((v) => !v.concept)
      .map((v) => v.text),
    ["mot lan", "1 lan"],
  );
});

test("filler: question and courtesy words are dropped, never the whole query, never a homograph", () => {
  const table: SynonymTable = [
    { from: "cho em hỏi", to: [] },
    { from: "cần giấy tờ gì", to: [] },
    { from: "cả", to: [] },
    { from: "em", to: [] },
    { from: "làm", to: [] },
    { from: "làm lại", to: ["cấp lại"] },
  ];
  const texts = (q: string) =>
    parseQuery(q, table)
      .variants.filter((v) => !v.concept)
      .map((v) => v.text);
  assert.deepEqual(texts("cho em hỏi đăng ký khai sinh cần giấy tờ gì")[0], "dang ki khai sinh", "phrases dropped");
  assert.deepEqual(texts("cho em hoi dang ky khai sinh can giay to gi")[0], "dang ki khai sinh", "also unmarked");
  assert.deepEqual(texts("cho em hỏi")[0], "cho em hoi", "a query of filler only is kept as typed");
  // "cả" (all) is filler; "cá" of "cá nhân", or "ca" typed without marks, is not.
  assert.equal(texts("đăng ký cá nhân")[0], "dang ki ca nhan", "a word with other marks stays");
  assert.equal(texts("dang ky ca nhan")[0], "dang ki ca nhan", "an unmarked homograph of a marked filler stays");
  assert.equal(texts("thẻ cho cả nhà")[0], "the cho nha", "the filler itself, typed with its marks, goes");
  assert.equal(texts("em bé")[0], "be", "an unmarked one-word filler goes unmarked too");
  // Leftmost-longest: "làm lại" is a phrase, not the filler "làm".
  assert.deepEqual(texts("làm lại căn cước"), ["lam lai can cuoc", "cap lai can cuoc"], "phrase kept");
  // The word being typed stays a prefix; one followed by filler is complete.
  const q = parseQuery("khai si", table);
  assert.equal(q.tokens[1]?.prefix, true, "the last word is still a prefix");
  assert.equal(parseQuery("khai sinh em", table).tokens[1]?.prefix, false, "a word before filler is complete");
});

test("Telex and VNI leftovers are read back to syllables, as a second reading", () => {
  const texts = (q: string) => parseQuery(q).variants.map((v) => [v.text, v.weight]);
  assert.deepEqual(texts("dangw kys khai sinh"), [
    ["dangw kys khai sinh", 1],
    ["dang ki khai sinh", 0.97],
  ]);
  assert.deepEqual(texts("dduwowngf"), [
    ["dduwowngf", 1],
    ["duong", 0.97],
  ]);
  assert.deepEqual(texts("da8ng ky1"), [
    ["da8ng ky1", 1],
    ["dang ki", 0.97],
  ]);
  assert.deepEqual(texts("khai sinh"), [["khai sinh", 1]], "plain syllables give no second reading");
});

test("concept readings: a sentence's lexicon matches alone, flagged for the index to read last", () => {
  const table: SynonymTable = [
    { from: "chứng tử", to: ["khai tử"] },
    { from: "tiền tuất", to: ["tử tuất"] },
    { from: "người thân mất", to: ["đăng ký khai tử"], weight: 0.97 },
  ];
  const q = parseQuery("ba tui moi mat giay chung tu o dau", table);
  const concept = q.variants.filter((v) => v.concept);
  assert.deepEqual(
    concept.map((v) => v.text),
    ["khai tu"],
    "the one match, alone",
  );
  const two = parseQuery("tiền tuất khi người thân mất", table).variants.filter((v) => v.concept);
  assert.deepEqual(
    two.map((v) => v.text),
    ["tu tuat dang ki khai tu", "tu tuat", "dang ki khai tu"],
    "all together, then each alone",
  );
  assert.ok(
    (two[1]?.weight ?? 0) > (two[2]?.weight ?? 1),
    "the first named (the head of the phrase) weighs more than the next",
  );
  assert.deepEqual(
    parseQuery("chứng tử", table).variants.filter((v) => v.concept),
    [],
    "a query that is one whole match needs no concept reading",
  );
});

test("concept readings: all together with each match's other alternatives, each concept a phrase of its own", () => {
  const table: SynonymTable = [
    { from: "giấy hôn thú", to: ["đăng ký kết hôn"] },
    { from: "bị cháy", to: ["cấp lại", "đăng ký lại"] },
    { from: "một", to: ["1"] },
  ];
  const concept = parseQuery("giấy hôn thú bị cháy theo nhà, xin một cái khác", table).variants.filter(
    (v) => v.concept,
  );
  assert.deepEqual(
    concept.map((v) => v.text),
    ["dang ki ket hon cap lai", "dang ki ket hon dang ki lai", "dang ki ket hon", "cap lai"],
    "both together (each alternative), then each alone; a number word read as a digit is no concept",
  );
  assert.deepEqual(
    concept[1]?.tokens.map((t) => t.brk === true),
    [false, false, false, false, true, false, false],
    "each concept starts a phrase",
  );
  assert.ok(
    (concept[0]?.weight ?? 0) > (concept[2]?.weight ?? 1),
    "a reading of every concept weighs more than one concept alone",
  );
});

test("concept readings together: two matches' other alternatives at once, within the budget", () => {
  const table: SynonymTable = [
    { from: "hộ khẩu", to: ["thường trú", "cư trú"] },
    { from: "bị sai", to: ["cải chính", "điều chỉnh"] },
  ];
  const texts = parseQuery("hộ khẩu nhà tôi bị sai", table)
    .variants.filter((v) => v.concept)
    .map((v) => v.text);
  assert.ok(texts.includes("cu tru dieu chinh"), `«cư trú» + «điều chỉnh» is read: ${texts.join(" / ")}`);
  assert.equal(texts[0], "thuong tru cai chinh", "the first alternatives first");
});

test("concept readings alone: the last clause first (a sentence sets its topic, then asks)", () => {
  const table: SynonymTable = [
    { from: "chồng mất", to: ["đăng ký khai tử"] },
    { from: "diện nghèo", to: ["hộ nghèo"] },
  ];
  const alone = parseQuery("chồng mất, nhà không ai làm ra tiền, xin vào diện nghèo", table)
    .variants.filter((v) => v.concept && v.tokens.every((t) => t.brk !== true))
    .map((v) => v.text);
  assert.deepEqual(alone, ["ho ngheo", "dang ki khai tu"], "the request (poverty) before its background (a death)");
});

test("concept readings in pairs: three concepts no title names together, two at a time before each alone", () => {
  const table: SynonymTable = [
    { from: "ông tây", to: ["nước ngoài"] },
    { from: "thuê nhà", to: ["đăng ký tạm trú"] },
    { from: "đột quỵ chết", to: ["đăng ký khai tử"] },
  ];
  const concept = parseQuery(
    "ông tây thuê nhà ở phường bị đột quỵ chết, người nhà bên kia nhờ lo",
    table,
  ).variants.filter((v) => v.concept);
  const texts = concept.map((v) => v.text);
  assert.ok(texts.includes("nuoc ngoai dang ki khai tu"), `the foreigner and the death: ${texts.join(" | ")}`);
  assert.ok(texts.includes("nuoc ngoai dang ki tam tru"), "every pair is read");
  const pair = concept.find((v) => v.text === "nuoc ngoai dang ki khai tu");
  assert.equal(pair?.tokens[2]?.brk, true, "each concept of a pair starts a phrase of its own");
  const all = concept.find((v) => v.text === "nuoc ngoai dang ki tam tru dang ki khai tu");
  assert.ok(all && pair && all.weight > pair.weight, "all three together weigh more than two");
  const two = parseQuery("ông tây đột quỵ chết", table).variants.filter(
    (v) => v.text.includes("nuoc ngoai") && v.text.includes("khai tu"),
  );
  assert.equal(two.length, 1, "two concepts: their reading together, once, no pair of its own");
});

test("a final 'ng' typed as 'g' (a dropped 'n') is read back, tone marks kept; other words stay", () => {
  const words = queryTokens("con đầu lòg, đặt tên xog thằg nhỏ blog gg");
  assert.deepEqual(
    words.map((t) => t.folded),
    ["con", "dau", "long", "dat", "ten", "xong", "thang", "nho", "blog", "gg"],
  );
  assert.equal(words[2]?.tone, queryTokens("lòng")[0]?.tone, "«lòg» keeps its tone mark: it is «lòng»");
  assert.equal(words[5]?.tone, null, "typed without marks, still none");
});

test("a last letter typed twice is read once when only then the word is a syllable; tone marks kept", () => {
  const words = queryTokens("hộ kinh doanhh nuôii sinhh pccc cừu xoong");
  assert.deepEqual(
    words.map((t) => t.folded),
    ["ho", "kinh", "doanh", "nuoi", "sinh", "pccc", "cuu", "xoong"],
    "«doanhh», «nuôii», «sinhh» are read back; an abbreviation, «cừu» (ưu) and a word with no doubled end stay",
  );
  assert.equal(words[3]?.tone, queryTokens("nuôi")[0]?.tone, "«nuôii» keeps its marks: it is «nuôi»");
  assert.equal(words[2]?.tone, null, "typed without marks, still none");
});

test("a letter typed twice inside a word is read once when only then the word is a syllable; tone marks kept", () => {
  const words = queryTokens("giấy khai sinnh thườngg trú pccc");
  assert.deepEqual(
    words.map((t) => t.folded),
    ["giay", "khai", "sinh", "thuong", "tru", "pccc"],
    "«sinnh» and «thườngg» are read back; an abbreviation stays",
  );
  assert.equal(words[3]?.tone, queryTokens("thường")[0]?.tone, "«thườngg» keeps its marks: it is «thường»");
});

test("two words run together without tone marks are also read apart, unless the lexicon knows the word", () => {
  const table = [
    { from: "căn cước", to: ["thẻ căn cước"] },
    { from: "photo", to: ["bản sao"] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.deepEqual(texts("lam cancuoc").slice(0, 2), ["lam cancuoc", "lam can cuoc"], "the words as typed come first");
  assert.ok(texts("lam cancuoc").includes("lam the can cuoc"), "the words read apart are read by the lexicon too");
  assert.ok(texts("hokhau").includes("ho khau"), "a word still being typed is read apart too");
  assert.ok(!texts("photo cong chung").includes("pho to cong chung"), "a word the lexicon knows is not split");
  assert.ok(!texts("cccd").some((t) => t.includes(" ")), "an abbreviation has no split into two syllables");
  assert.ok(!texts("căncước").some((t) => t.includes("can cuoc")), "a word typed with tone marks is left alone");
});

test("an abbreviation typed with dots is one word", () => {
  assert.deepEqual(
    queryTokens("c.c.c.d").map((t) => t.folded),
    ["cccd"],
  );
  assert.deepEqual(
    queryTokens("làm B.H.X.H. cho mẹ").map((t) => t.folded),
    ["lam", "bhxh", "cho", "me"],
  );
  assert.deepEqual(
    queryTokens("điểm a, b khoản 2").map((t) => t.folded),
    ["diem", "a", "b", "khoan", "2"],
    "letters apart (a comma, a space) stay apart",
  );
});

test("an expansion longer than the index's word limit is cut, not passed on", () => {
  const table: SynonymTable = [
    { from: "sửa tên", to: ["thay đổi cải chính bổ sung thông tin hộ tịch xác định lại dân tộc"] },
  ];
  const q = parseQuery("sửa tên cho con trong giấy khai sinh bị sai chính tả năm sinh quê quán", table);
  for (const v of q.variants)
    assert.ok(v.tokens.length <= MAX_QUERY_TOKENS, `reading «${v.text}» has ${v.tokens.length} words`);
});

test("homographs: an entry whose tone marks agree with the words as typed wins over a longer one", () => {
  const table = [
    { from: "thuê phòng", to: ["đăng ký tạm trú"] },
    { from: "thuế phòng trọ", to: ["khai thuế cho thuê"] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.ok(texts("thuê phòng trọ").includes("dang ki tam tru tro"), "renting, typed with marks: residence");
  assert.ok(texts("thuế phòng trọ").includes("khai thue cho thue"), "tax, typed with marks: the tax");
  assert.ok(texts("thue phong tro").includes("khai thue cho thue"), "typed without marks: the longest entry");
  // Only the five tone marks count: a phone that drops the vowel's shape (đ, ê) still agrees.
  assert.ok(texts("thue phòng").includes("dang ki tam tru"), "partial marks agree");
});

test("a longer phrase is not cut by a shorter entry that starts first", () => {
  const table = [
    { from: "chồng mất", to: ["đăng ký khai tử"] },
    { from: "mất hộ chiếu", to: ["trình báo mất hộ chiếu"] },
    { from: "hộ chiếu", to: ["hộ chiếu phổ thông"] },
  ];
  const texts = parseQuery("chồng mất hộ chiếu", table).variants.map((v) => v.text);
  assert.ok(texts.includes("chong trinh bao mat ho chieu"), `a lost passport: ${texts.join(" | ")}`);
  assert.ok(!texts.some((t) => t.includes("khai tu")), "not a death");
  const death = parseQuery("chồng mất", table).variants.map((v) => v.text);
  assert.ok(death.includes("dang ki khai tu"), "alone, still a death");
});

test("a comma ends a phrase: no entry spans it, even when a filler word between is dropped", () => {
  const table = [
    { from: "bố mất", to: ["đăng ký khai tử"] },
    { from: "mất giấy chứng tử", to: ["cấp bản sao trích lục khai tử"] },
    { from: "mần", to: [] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.ok(texts("bố mất, mần giấy chứng tử").includes("dang ki khai tu giay chung tu"), "the death, then the paper");
  assert.ok(texts("bố mất giấy chứng tử").includes("bo cap ban sao trich luc khai tu"), "no comma: the lost paper");
});

test("a sentence's concept readings keep the catalogue's own words it names besides the lexicon's concepts", () => {
  const table = [
    { from: "người nước ngoài", to: ["yếu tố nước ngoài"] },
    { from: "giấy hôn thú", to: ["đăng ký kết hôn"] },
  ];
  const concepts = (q: string) =>
    parseQuery(q, table)
      .variants.filter((v) => v.concept)
      .map((v) => v.text);
  const married = concepts("người nước ngoài kết hôn với người việt");
  assert.equal(married[0], "yeu to nuoc ngoai ket hon", `"kết hôn" is the catalogue's word: ${married}`);
  assert.ok(married.includes("yeu to nuoc ngoai"), `the concept alone is still read: ${married}`);
  assert.deepEqual(concepts("kết hôn với người việt"), [], "no lexicon concept: the words as typed are read");
});

test("the catalogue's words typed in full are not read again as their own expansion", () => {
  const table = [
    { from: "bảo hiểm", to: ["bảo hiểm xã hội", "bảo hiểm y tế"] },
    { from: "bhxh", to: ["bảo hiểm xã hội"] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  const full = texts("bảo hiểm xã hội ghi nhầm tên");
  assert.ok(!full.some((t) => t.includes("xa hoi xa hoi")), `"bảo hiểm" is not expanded inside the full term: ${full}`);
  assert.ok(!full.some((t) => t.includes("y te xa hoi")), `nor read as another insurance: ${full}`);
  assert.ok(texts("bảo hiểm thất nghiệp").includes("bao hiem xa hoi that nghiep"), "a shorter word is still read");
  // A reading of a reading says the words it repeats at its edge once.
  const chained = parseQuery("đóng bhxh", [
    { from: "bhxh", to: ["bảo hiểm xã hội"] },
    { from: "đóng bảo hiểm", to: ["đóng bảo hiểm xã hội"] },
  ]).variants.map((v) => v.text);
  assert.ok(!chained.some((t) => t.includes("xa hoi xa hoi")), `no repeated words: ${chained}`);
});

test("a one-word entry: tone marks typed must agree, and it never splits the catalogue's own wording", () => {
  const table = [
    { from: "cưa", to: ["chặt hạ cây xanh"] },
    { from: "quán", to: ["hộ kinh doanh"] },
    { from: "sai quê quán", to: ["điều chỉnh thông tin về quê quán"] },
    { from: "bhxh", to: ["bảo hiểm xã hội"] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.ok(
    texts("xin cưa cây").some((t) => t.includes("chat ha cay xanh")),
    "the saw, typed so",
  );
  assert.ok(!texts("giấy của tôi").some((t) => t.includes("chat ha")), "'của' is no saw");
  assert.ok(
    texts("mở quán").some((t) => t.includes("ho kinh doanh")),
    "a shop",
  );
  assert.ok(!texts("quê quán bị ghi sai").some((t) => t.includes("kinh doanh")), "'quê quán' is no shop");
  assert.ok(texts("BHXH").includes("bao hiem xa hoi"), "an abbreviation has no homograph to guard against");
});

test("a one-word entry typed without tone marks never reads a word a filler entry also spells", () => {
  const table = [
    { from: "đẻ", to: ["sinh"] },
    { from: "để", to: [] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.ok(
    texts("con đẻ ở trạm xá").some((t) => t.includes("sinh")),
    "'đẻ' typed with its marks is birth",
  );
  assert.ok(!texts("ruong de lai cho con").some((t) => t.includes("sinh")), "'de' typed bare is 'để', filler");
});

test("homographs once folded stay apart: the tone marks typed choose between them", () => {
  const table = [
    { from: "chuyển đất", to: ["chuyển mục đích sử dụng đất"] },
    { from: "chuyện đất", to: ["tranh chấp đất đai"] },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.ok(
    texts("nhờ xã giải quyết chuyện đất").some((t) => t.includes("tranh chap dat dai")),
    "a land matter",
  );
  assert.ok(!texts("nhờ xã giải quyết chuyện đất").some((t) => t.includes("muc dich")), "not a change of use");
  assert.ok(
    texts("xin chuyển đất").some((t) => t.includes("chuyen muc dich")),
    "a change of use",
  );
});

test("a word's second sense that another concept of the sentence says in full is no concept of its own", () => {
  const table = [
    { from: "chứng minh", to: ["thẻ căn cước", "xác nhận"] },
    { from: "chưa chồng", to: ["xác nhận tình trạng hôn nhân"] },
    { from: "mất", to: ["cấp lại"] },
  ];
  const concepts = (q: string) =>
    parseQuery(q, table)
      .variants.filter((v) => v.concept)
      .map((v) => v.text);
  const proof = concepts("chưa chồng, cần chứng minh để đi làm xa");
  assert.ok(!proof.some((t) => t.includes("the can cuoc")), `the proof, not an identity card: ${proof}`);
  assert.ok(proof.includes("xac nhan tinh trang hon nhan"), `the status is read: ${proof}`);
  const card = concepts("mất chứng minh ở chợ hôm qua");
  assert.ok(
    card.some((t) => t.includes("the can cuoc")),
    `alone, still the card: ${card}`,
  );
});

test("'mất' before a paper is losing it (read as cấp lại), before a person a death", () => {
  const table: SynonymTable = [
    { from: "đkx", to: ["chứng nhận đăng ký xe"], weight: 0.95 },
    { from: "ghe", to: ["phương tiện"], weight: 0.9 },
    { from: "bố mất", to: ["đăng ký khai tử"], weight: 0.97 },
  ];
  const texts = (q: string) => parseQuery(q, table).variants.map((v) => v.text);
  assert.ok(
    texts("mất đkx").includes("cap lai chung nhan dang ki xe"),
    `before an abbreviation the lexicon reads as a paper: ${texts("mất đkx").join(" / ")}`,
  );
  assert.ok(
    texts("mat giay ghe").some((t) => t.startsWith("cap lai giay")),
    `typed bare, before a paper word: ${texts("mat giay ghe").join(" / ")}`,
  );
  assert.ok(
    texts("mất giấy ghe").some((t) => t.startsWith("dang ki lai giay")),
    `"đăng ký lại" as the second reading: ${texts("mất giấy ghe").join(" / ")}`,
  );
  assert.ok(
    !texts("bố mất").some((t) => t.includes("cap lai")),
    `after a person it stays a death: ${texts("bố mất").join(" / ")}`,
  );
  assert.ok(
    !texts("ba tui mới mất giấy chứng tử").some((t) => t.includes("cap lai")),
    `"mới mất" is a death even before a paper: ${texts("ba tui mới mất giấy chứng tử").join(" / ")}`,
  );
  assert.ok(
    texts("em mất giấy ghe").some((t) => t.includes("cap lai giay")),
    `"em" is the one who lost it: ${texts("em mất giấy ghe").join(" / ")}`,
  );
  assert.ok(
    !texts("mặt giấy").some((t) => t.includes("cap lai")),
    `"mặt" typed with its own marks is another word: ${texts("mặt giấy").join(" / ")}`,
  );
  assert.ok(
    !texts("mất, giấy ghe").some((t) => t.includes("cap lai")),
    `never across a clause boundary: ${texts("mất, giấy ghe").join(" / ")}`,
  );
});
