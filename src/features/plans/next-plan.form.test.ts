import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readNextPlanForm } from "./next-plan.form.ts";
import type { PlanContent } from "./plan-content.ts";

const base: PlanContent = {
  issuer: "UBND phường Đức Phổ",
  place: "Đức Phổ",
  title: "x",
  period: null,
  basis: [],
  purposes: [],
  requirements: [],
  documentsToCommunicate: "",
  contentAreas: [],
  channels: [],
  budget: null,
  groups: [],
  recipients: [],
  signer: { authority: null, onBehalfOf: null, position: "CHỦ TỊCH", name: null },
};
const units = [
  { id: 7, name: "Đài truyền thanh" },
  { id: 8, name: "Văn phòng – Thống kê" },
];
const form = {
  title: "Tuyên truyền cải cách hành chính năm 2025",
  place: "Đức Phổ",
  periodFrom: "01/01/2025",
  periodTo: "2025-12-31",
  basis: "Căn cứ Kế hoạch số 02/KH-UBND;\n\n",
  purposes: "- Nâng cao nhận thức.\nKịp thời.",
  requirements: "Thiết thực.",
  documents: "",
  recipients: "Như trên\nLưu: VT",
  signerAuthority: "TM. ỦY BAN NHÂN DÂN",
  signerOnBehalfOf: "",
  signerPosition: "CHỦ TỊCH",
  "area-0-title": "Về cải cách thể chế",
  "area-0-pillar": "institutions",
  "area-0-items": "Tuyên truyền văn bản mới.",
  "area-1-title": "",
  "area-1-items": "",
  "channel-0-title": "Đài truyền thanh",
  "channel-0-kind": "radio",
  "group-0-heading": "",
  "group-0-unit": "7",
  "task-0-0-text": "Phát bản tin",
  "task-0-0-timing": "quý II/2025",
  "task-0-0-support-8": "yes",
  "task-0-1-text": "Bỏ đi",
  "task-0-1-remove": "yes",
};

describe("the edit form of next year's plan", () => {
  test("a filled form becomes the plan's content: lists one item per line, blank rows ignored, removed rows gone", () => {
    const r = readNextPlanForm(form, base, units);
    assert.ok(r.ok, `read: ${r.ok ? "" : JSON.stringify(r.errors)}`);
    const c = r.value;
    assert.deepEqual(c.period, { from: "2025-01-01", to: "2025-12-31" }, "dd/mm/yyyy and ISO dates");
    assert.deepEqual(c.purposes, ["Nâng cao nhận thức.", "Kịp thời."], "dashes dropped, one item per line");
    assert.deepEqual(c.basis, ["Căn cứ Kế hoạch số 02/KH-UBND;"], "empty lines dropped");
    assert.equal(c.contentAreas.length, 1, "the empty row added nothing");
    assert.equal(c.groups[0]?.heading, "Đài truyền thanh", "a group without a heading takes its unit's name");
    assert.deepEqual(
      c.groups[0]?.tasks,
      [{ text: "Phát bản tin", timing: "quý II/2025", supportUnits: [{ id: 8, name: "Văn phòng – Thống kê" }] }],
      "the removed task is gone",
    );
    assert.equal(c.signer.authority, "TM. ỦY BAN NHÂN DÂN");
    assert.equal(c.issuer, "UBND phường Đức Phổ", "what the form does not edit is kept");
  });

  test("bad input: each message in Vietnamese, keyed by the field's id", () => {
    const r = readNextPlanForm(
      {
        ...form,
        title: " ",
        periodTo: "2024-12-31",
        purposes: "",
        "area-0-pillar": "nonsense",
        "channel-0-kind": "",
        "group-0-unit": "99",
        "task-0-0-timing": "khi nào xong",
      },
      base,
      units,
    );
    assert.ok(!r.ok, "refused");
    assert.match(r.errors.title ?? "", /Ghi tên/);
    assert.match(r.errors.periodTo ?? "", /phải sau ngày bắt đầu/);
    assert.match(r.errors.purposes ?? "", /ít nhất một mục đích/);
    assert.match(r.errors["area-0-pillar"] ?? "", /Chọn lĩnh vực/);
    assert.match(r.errors["channel-0-kind"] ?? "", /Chọn loại hình thức/);
    assert.match(r.errors["group-0-unit"] ?? "", /đơn vị đang hoạt động/);
    assert.match(r.errors["task-0-0-timing"] ?? "", /Thời gian chưa rõ/);
  });

  test("tasks need a lead unit and a due date within the plan's period", () => {
    const r = readNextPlanForm({ ...form, "group-0-unit": "", "task-0-0-timing": "30/6/2026" }, base, units);
    assert.ok(!r.ok, "refused");
    assert.match(r.errors["group-0-unit"] ?? "", /Chọn đơn vị chủ trì/);
    assert.match(r.errors["task-0-0-timing"] ?? "", /ngoài thời gian thực hiện/);
  });
});
