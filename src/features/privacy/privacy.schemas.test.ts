import assert from "node:assert/strict";
import { test } from "node:test";
import { newTrackingCode } from "../../core/text/tracking-code.ts";
import { validate } from "../../core/web/validation.ts";
import { consentInput, eraseInput, parseRef, searchInput } from "./privacy.schemas.ts";

test("the search box takes a code however typed, or a phone however written", () => {
  const code = newTrackingCode("PA", 2026);
  const typed = code.toLowerCase().replace(/-/g, " ");
  assert.deepEqual(validate(searchInput, { q: typed }), { ok: true, value: { code } });
  const hd = newTrackingCode("HD", 2026);
  assert.deepEqual(validate(searchInput, { q: hd }), { ok: true, value: { code: hd } });
  for (const phone of ["0935 111 222", "+84 935-111-222", "0935.111.222", "84935111222"])
    assert.deepEqual(validate(searchInput, { q: phone }), { ok: true, value: { phone: "0935111222" } }, phone);
  const bad = validate(searchInput, { q: "Nguyễn Văn A" });
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? "" : (bad.errors.q ?? ""), /mã tra cứu/);
  // A code with a wrong check character is neither a code nor a phone.
  const wrong = `${code.slice(0, -1)}${code.endsWith("3") ? "4" : "3"}`;
  assert.equal(validate(searchInput, { q: wrong }).ok, false);
});

test("item references are parsed strictly and deduplicated", () => {
  assert.deepEqual(parseRef("feedback:12"), { kind: "feedback", id: 12 });
  assert.deepEqual(parseRef("question:5"), { kind: "question", id: 5 });
  for (const bad of ["feedback:0", "feedback:-1", "user:3", "feedback:1;drop", "feedback:", "question:12a"])
    assert.equal(parseRef(bad), null, bad);
  const r = validate(eraseInput, {
    item: ["feedback:1", "feedback:1", "question:2"],
    reason: "Theo đơn yêu cầu",
    confirm: "yes",
  });
  assert.deepEqual(r.ok ? r.value.item : null, [
    { kind: "feedback", id: 1 },
    { kind: "question", id: 2 },
  ]);
  const tampered = validate(eraseInput, {
    item: ["feedback:1", "users:1"],
    reason: "Theo đơn yêu cầu",
    confirm: "yes",
  });
  assert.equal(tampered.ok, false);
});

test("erasure needs items, a reason and the confirmation", () => {
  const r = validate(eraseInput, { item: [], reason: " ", confirm: "" });
  assert.equal(r.ok, false);
  assert.deepEqual(Object.keys(r.ok ? {} : r.errors).sort(), ["confirm", "item", "reason"]);
});

test("consent texts: 20 to 2000 characters, stored NFC and trimmed", () => {
  const text = "  Tôi đồng ý để phường dùng thông tin của tôi.  ".normalize("NFD");
  const r = validate(consentInput, { feedback: text, question: "x".repeat(2000) });
  assert.equal(r.ok, true);
  assert.equal(r.ok ? r.value.feedback : "", "Tôi đồng ý để phường dùng thông tin của tôi.");
  const short = validate(consentInput, { feedback: "Đồng ý.", question: "x".repeat(2001) });
  assert.equal(short.ok, false);
  assert.match(short.ok ? "" : (short.errors.feedback ?? ""), /ít nhất 20/);
  assert.match(short.ok ? "" : (short.errors.question ?? ""), /tối đa 2000/);
});
