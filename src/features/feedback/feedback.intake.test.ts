/** Pure rules of taking feedback in: masking phones in lists, the staff entry's date and channel, attachment checks. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { validate } from "../../core/web/validation.ts";
import { receivedAtOf } from "./feedback.entry.ts";
import { checkAttachments } from "./feedback.files.ts";
import { maskPhone, staffFeedbackInput } from "./feedback.schemas.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const PDF = enc("%PDF-1.7\n%%EOF\n");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe("maskPhone", () => {
  test("keeps the first two and last three digits", () => {
    assert.equal(maskPhone("0912345678"), "09•••••678");
    assert.equal(maskPhone("0912 345 678"), "09•••••678");
  });
  test("short or empty values reveal nothing", () => {
    assert.equal(maskPhone("12345"), "•••••");
    assert.equal(maskPhone(""), "•••");
  });
});

describe("staff entry input", () => {
  const today = "2026-03-02";
  const base = {
    content: "Đường vào tổ 4 ngập nước mỗi khi mưa lớn.",
    name: "Nguyễn Văn An",
    address: "Tổ 4",
    phone: "0912345678",
    consent: "yes",
    channel: "phone",
  };
  test("an empty date is today; dd/mm/yyyy and ISO are read; defaults for subject and type", () => {
    const a = validate(staffFeedbackInput(today), { ...base, receivedOn: "" });
    assert.ok(a.ok, "expected: a.ok");
    assert.equal(a.value.receivedOn, today);
    assert.equal(a.value.subject, "regulation");
    assert.equal(a.value.contentType, "other");
    const b = validate(staffFeedbackInput(today), { ...base, receivedOn: "27/02/2026" });
    assert.ok(b.ok && b.value.receivedOn === "2026-02-27", 'expected: b.ok && b.value.receivedOn === "2026-02-27"');
    const c = validate(staffFeedbackInput(today), { ...base, receivedOn: "2026-03-01" });
    assert.ok(c.ok && c.value.receivedOn === "2026-03-01", 'expected: c.ok && c.value.receivedOn === "2026-03-01"');
  });
  test("a future or impossible date, the web channel and a missing confirmation are refused in Vietnamese", () => {
    const future = validate(staffFeedbackInput(today), { ...base, receivedOn: "03/03/2026" });
    assert.ok(
      !future.ok && /không được sau hôm nay/.test(future.errors.receivedOn ?? ""),
      'expected: !future.ok && /không được sau hôm nay/.test(future.errors.receivedOn ?? "")',
    );
    const impossible = validate(staffFeedbackInput(today), { ...base, receivedOn: "31/02/2026" });
    assert.ok(
      !impossible.ok && /chưa đúng/.test(impossible.errors.receivedOn ?? ""),
      'expected: !impossible.ok && /chưa đúng/.test(impossible.errors.receivedOn ?? "")',
    );
    const web = validate(staffFeedbackInput(today), { ...base, channel: "web" });
    assert.ok(
      !web.ok && web.errors.channel === "Chọn cách tiếp nhận.",
      'expected: !web.ok && web.errors.channel === "Chọn cách tiếp nhận."',
    );
    const noConsent = validate(staffFeedbackInput(today), { ...base, consent: "" });
    assert.ok(
      !noConsent.ok && /Cần xác nhận người gửi đã đồng ý/.test(noConsent.errors.consent ?? ""),
      'expected: !noConsent.ok && /Cần xác nhận người gửi đã đồng ý/.test(noConsent.errors.consent ?? "")',
    );
  });
});

describe("receivedAtOf", () => {
  const now = new Date("2026-03-02T03:15:00Z");
  test("today is now; an earlier day starts at midnight in Vietnam", () => {
    assert.equal(receivedAtOf("2026-03-02", now), now.toISOString());
    assert.equal(receivedAtOf("2026-02-27", now), "2026-02-26T17:00:00.000Z");
  });
});

describe("checkAttachments", () => {
  const max = 1024;
  test("JPEG, PNG and PDF pass, up to three", () => {
    assert.equal(
      checkAttachments(
        [
          { name: "a.jpg", bytes: JPEG },
          { name: "b.png", bytes: PNG },
          { name: "c.pdf", bytes: PDF },
        ],
        max,
      ),
      null,
    );
    assert.equal(checkAttachments([], max), null);
  });
  test("four files, a disguised page, a GIF, an empty or oversize file are refused with their status", () => {
    const four = checkAttachments(
      [1, 2, 3, 4].map((i) => ({ name: `${i}.pdf`, bytes: PDF })),
      max,
    );
    assert.equal(four?.status, 400);
    const page = checkAttachments([{ name: "don.pdf", bytes: enc("<html><script>x</script>") }], max);
    assert.equal(page?.status, 415);
    assert.match(page?.error ?? "", /“don\.pdf” không được chấp nhận: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF/);
    assert.equal(checkAttachments([{ name: "a.gif", bytes: enc("GIF89a....") }], max)?.status, 415);
    assert.equal(checkAttachments([{ name: "rong.pdf", bytes: new Uint8Array(0) }], max)?.status, 400);
    const big = new Uint8Array(max + 1);
    big.set(PDF);
    const over = checkAttachments([{ name: "lon.pdf", bytes: big }], max);
    assert.equal(over?.status, 413);
    assert.match(over?.error ?? "", /“lon\.pdf” quá lớn/);
  });
});
