import assert from "node:assert/strict";
import { test } from "node:test";
import { portalPath } from "./search.routes.tsx";
import { firstKeptDay, loggableQuery } from "./search-log.ts";

test("a logged query loses phones, e-mails and ID numbers, keeps procedure codes, folds to one key", () => {
  const typed = loggableQuery("  Đăng  Ký Khai Sinh ");
  assert.equal(typed?.text, "đăng ký khai sinh");
  assert.equal(typed?.key, loggableQuery("dang ky khai sinh")?.key, "one key with or without tone marks");
  assert.equal(loggableQuery("khai sinh +84 905 123 456")?.text, "khai sinh");
  assert.equal(loggableQuery("cccd 079012345678 ở đâu")?.text, "cccd ở đâu");
  assert.equal(loggableQuery("gửi a.b@example.com hồ sơ")?.text, "gửi hồ sơ");
  assert.equal(loggableQuery("thủ tục 1.001193")?.text, "thủ tục 1.001193", "a procedure code is not personal");
  assert.equal(loggableQuery("số 12345678901234")?.text, "số", "a long bare number goes");
  assert.equal(loggableQuery("0905123456"), null, "nothing left: not counted");
  assert.equal([...(loggableQuery("a ".repeat(300))?.text ?? "")].length <= 120, true, "capped");
});

test("only this portal's paths are redirect targets", () => {
  assert.equal(portalPath("/thu-tuc/1.001193"), "/thu-tuc/1.001193");
  assert.equal(portalPath("/w/21451/hoi-dap/AB12?x=1#y"), "/w/21451/hoi-dap/AB12?x=1#y");
  for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil", " /x", "/\n/evil", ""])
    assert.equal(portalPath(bad), null, `«${bad}» refused`);
});

test("retention counts whole Vietnamese days back from today", () => {
  assert.equal(firstKeptDay(new Date("2026-03-02T03:00:00Z"), 1), "2026-03-02");
  assert.equal(firstKeptDay(new Date("2026-03-02T03:00:00Z"), 30), "2026-02-01");
  assert.equal(firstKeptDay(new Date("2026-03-01T18:00:00Z"), 1), "2026-03-02", "01:00 in Vietnam is the next day");
});
