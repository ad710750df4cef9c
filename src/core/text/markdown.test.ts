import assert from "node:assert/strict";
import { test } from "node:test";
import { markdownText, renderMarkdown } from "./markdown.ts";

test("raw HTML is escaped, never passed through", () => {
  const out = renderMarkdown('Xin chào <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n<div>khối</div>');
  assert.doesNotMatch(out, /<script|<img|<div/, "no tag typed by the writer survives");
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, "it is shown as text");
});

test("links only to http and https; others stay text", () => {
  assert.match(
    renderMarkdown("[Cổng DVC](https://dichvucong.gov.vn/p/home)"),
    /<a href="https:\/\/dichvucong.gov.vn\/p\/home" rel="noopener nofollow">Cổng DVC<\/a>/,
    "an https link is kept, with rel",
  );
  for (const bad of [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)",
    "[x](/quan-tri/tai-khoan)",
    "<javascript:alert(1)>",
    "[x](file:///etc/passwd)",
  ])
    assert.doesNotMatch(renderMarkdown(bad), /<a /, `${bad} makes no link`);
});

test("no images from elsewhere; headings, lists, emphasis work", () => {
  const out = renderMarkdown("![ảnh](https://example.com/a.png)\n\n## Tiêu đề\n\n- một\n- **hai**");
  assert.doesNotMatch(out, /<img/, "no image tag");
  assert.match(out, /<h2>Tiêu đề<\/h2>/, "heading");
  assert.match(out, /<li><strong>hai<\/strong><\/li>/, "list with emphasis");
});

test("attribute injection through a link title or URL is escaped", () => {
  const out = renderMarkdown('[x](https://a.vn/"onmouseover="alert(1) "t\\"itle")');
  assert.doesNotMatch(out, /" onmouseover=|"onmouseover="alert/, "no attribute breaks out");
});

test("plain text of Markdown for feeds and search", () => {
  assert.equal(markdownText("## Đầu\n\nMột **đậm** & <b>x</b>"), "Đầu\nMột đậm & <b>x</b>", "tags gone, text kept");
});
