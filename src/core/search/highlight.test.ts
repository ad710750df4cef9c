import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, highlight } from "./highlight.ts";

const words =
  (...folded: string[]) =>
  (f: string) =>
    folded.includes(f);

test("escapeHtml escapes the five HTML specials", () => {
  assert.equal(escapeHtml(`<a href="x">O'Neil & co</a>`), "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;");
});

test("matched syllables are marked on the original text, runs joined across spaces", () => {
  assert.equal(
    highlight("Thủ tục đăng ký khai sinh lưu động", words("dang", "ki", "khai", "sinh")),
    "Thủ tục <mark>đăng ký khai sinh</mark> lưu động",
  );
  // Punctuation between matched syllables closes the run.
  assert.equal(highlight("Nhận cha, mẹ, con", words("cha", "me")), "Nhận <mark>cha</mark>, <mark>mẹ</mark>, con");
  assert.equal(highlight("Không khớp", words("x")), "Không khớp");
});

test("HTML in the text is escaped, inside and outside marks", () => {
  assert.equal(
    highlight(`<script>alert("khai sinh")</script> & đăng ký`, words("khai", "sinh", "dang")),
    `&lt;script&gt;alert(&quot;<mark>khai sinh</mark>&quot;)&lt;/script&gt; &amp; <mark>đăng</mark> ký`,
  );
});

test("decomposed (NFD) text is highlighted in NFC", () => {
  const nfd = "Đăng ký khai sinh".normalize("NFD");
  assert.equal(highlight(nfd, words("dang", "ki")), "<mark>Đăng ký</mark> khai sinh");
});

test("a phrase query marks the phrase, not every syllable that happens to occur", () => {
  const land = words("giay", "chung", "nhan", "quyen", "su", "dung", "dat");
  const title = "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản của cá nhân";
  assert.equal(
    highlight(title, land, { phrase: true }),
    "Đăng ký đất đai, cấp <mark>Giấy chứng nhận quyền sử dụng đất</mark>, quyền sở hữu tài sản của cá nhân",
  );
  assert.match(highlight(title, land), /<mark>đất<\/mark> đai/, "without `phrase`, every matched syllable");
  // No run of two in the title: the single syllables are all there is to show.
  assert.equal(
    highlight("Nhận cha, mẹ, con", words("cha", "me"), { phrase: true }),
    "Nhận <mark>cha</mark>, <mark>mẹ</mark>, con",
  );
});
