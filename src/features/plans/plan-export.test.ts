/**
 * The plan export writes what the plan reader reads: a plan read from its document, exported as a Decree 30
 * DOCX and read again, is the same plan (the seed, and plans in other layouts: plain text with a two-column
 * header, Markdown in NFD with lettered areas, Word's automatic numbering).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import JSZip from "jszip";
import { buildAutoNumberedPlanDocx } from "../../../test/fixtures/plans/make-docx.ts";
import { renderDocx } from "../../core/documents/docx-writer.ts";
import { docxToPlanText } from "./docx-text.ts";
import { parsePlan } from "./parse-plan.ts";
import { type PlanContent, signerOf } from "./plan-content.ts";
import type { PlanDraft } from "./plan-draft.ts";
import { planDocument, planDocumentText, splitPlanNumber, taskSentence } from "./plan-export.ts";

const SEED = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "seeds/000_5d25a1a03213bf5f.txt");
const FIXTURES = path.resolve("test/fixtures/plans");

/** What a plan read from a document says, as the export takes it (the stored plan's shape, without the database). */
function contentOf(d: PlanDraft): PlanContent {
  return {
    issuer: d.issuer ?? "",
    place: d.place ?? "",
    title: d.title ?? "",
    period: d.period,
    basis: d.basis,
    purposes: d.purposes,
    requirements: d.requirements,
    documentsToCommunicate: d.documentsToCommunicate,
    contentAreas: d.contentAreas.map((a) => ({ title: a.title, pillar: a.pillar, items: a.items })),
    channels: d.channels.map((c) => ({ title: c.title, kind: c.kind })),
    budget: null,
    groups: d.assignmentGroups.map((g) => ({
      heading: g.heading,
      leadUnitId: null,
      tasks: g.tasks.map((t) => ({ text: t.text, timing: null, supportUnits: [] })),
    })),
    recipients: d.recipients,
    signer: signerOf(d.signer?.position ?? null, d.signer?.name ?? null),
  };
}

function read(text: string): PlanDraft {
  const r = parsePlan(text);
  assert.ok(r.ok, `the plan is read: ${r.ok ? "" : r.error}`);
  return r.draft;
}

/** Export → DOCX → the import's DOCX reader → the plan reader. */
async function roundTrip(d: PlanDraft): Promise<PlanDraft> {
  const docx = await renderDocx(planDocument(contentOf(d), { number: d.number, issuedOn: d.issuedOn }));
  const text = await docxToPlanText(docx);
  assert.ok(text.ok, "the export is a DOCX the import reads");
  return read(text.text);
}

/** The last basis ends with "." in a Decree 30 document, whatever the source put there. */
const unpunctuated = (xs: string[]) => xs.map((x) => x.replace(/[;,.]+$/u, ""));

function assertSamePlan(a: PlanDraft, b: PlanDraft, name: string) {
  for (const key of ["kind", "number", "place", "issuedOn", "title", "issuer", "period"] as const)
    assert.deepEqual(b[key], a[key], `${name}: ${key}`);
  assert.deepEqual(unpunctuated(b.basis), unpunctuated(a.basis), `${name}: basis`);
  for (const key of ["purposes", "requirements", "documentsToCommunicate", "recipients", "signer"] as const)
    assert.deepEqual(b[key], a[key], `${name}: ${key}`);
  // Area codes are renumbered under "2." (a lettered "a)" area comes back as "2.1"): titles, pillars, items stay.
  assert.deepEqual(
    b.contentAreas.map(({ title, pillar, items }) => ({ title, pillar, items })),
    a.contentAreas.map(({ title, pillar, items }) => ({ title, pillar, items })),
    `${name}: content areas`,
  );
  assert.deepEqual(
    b.channels.map(({ title, kind }) => ({ title, kind })),
    a.channels.map(({ title, kind }) => ({ title, kind })),
    `${name}: channels`,
  );
  assert.deepEqual(b.assignmentGroups, a.assignmentGroups, `${name}: units and their tasks with timing`);
  assert.deepEqual(b.references, a.references, `${name}: cited documents`);
  assert.deepEqual(b.mentions, a.mentions, `${name}: programmes cited by name`);
}

describe("a plan exported as a Decree 30 KẾ HOẠCH reads back as the same plan", () => {
  test("the seed plan", async () => {
    const a = read(fs.readFileSync(SEED, "utf8"));
    assert.ok(a.assignmentGroups.length >= 6, "the seed has its six groups");
    assertSamePlan(a, await roundTrip(a), "seed");
  });

  for (const file of ["plan-xa-a.txt", "plan-phuong-b.md"])
    test(`another layout: ${file}`, async () => {
      const a = read(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
      assertSamePlan(a, await roundTrip(a), file);
    });

  test("another layout: Word's automatic numbering", async () => {
    const text = await docxToPlanText(await buildAutoNumberedPlanDocx());
    assert.ok(text.ok, "the fixture DOCX is read");
    const a = read(text.text);
    assertSamePlan(a, await roundTrip(a), "auto-numbered DOCX");
  });

  test("a budget section, when the plan has one, is written and leaves the rest of the plan readable", async () => {
    const a = read(fs.readFileSync(SEED, "utf8"));
    const c: PlanContent = {
      ...contentOf(a),
      budget: {
        total: 15_000_000,
        lines: [{ amount: 10_000_000, source: "ngân sách phường", purpose: "In ấn pa nô, áp phích" }],
      },
    };
    const doc = planDocument(c, { number: a.number, issuedOn: a.issuedOn });
    const texts = doc.body.map((b) => ("text" in b ? b.text : ""));
    assert.ok(texts.includes("III. KINH PHÍ THỰC HIỆN"), "its own section, before the tasks");
    assert.ok(texts.includes("Tổng kinh phí thực hiện: 15.000.000 đồng."), "the total in Vietnamese notation");
    assert.ok(texts.includes("In ấn pa nô, áp phích: 10.000.000 đồng (ngân sách phường)."), "each line");
    assert.ok(texts.includes("IV. TỔ CHỨC THỰC HIỆN"), "the tasks after it");
    const text = await docxToPlanText(await renderDocx(doc));
    assert.ok(text.ok, "read");
    const b = read(text.text);
    assert.deepEqual(b.assignmentGroups, a.assignmentGroups, "the tasks still read back");
  });

  test("the plain-text form of the export reads back too", () => {
    const a = read(fs.readFileSync(SEED, "utf8"));
    const doc = planDocument(contentOf(a), { number: a.number, issuedOn: a.issuedOn });
    const b = read(planDocumentText(doc, { number: "Số: 18/KH-UBND", date: "Phổ Minh, ngày 19 tháng 02 năm 2024" }));
    assertSamePlan(a, b, "seed as text");
  });

  test("the document: header, number, sections, each unit's tasks, signer and Nơi nhận", async () => {
    const a = read(fs.readFileSync(SEED, "utf8"));
    const zip = await JSZip.loadAsync(
      await renderDocx(planDocument(contentOf(a), { number: a.number, issuedOn: a.issuedOn })),
    );
    const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
    const texts = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]);
    const order = [
      "ỦY BAN NHÂN DÂN",
      "PHƯỜNG PHỔ MINH",
      "Số: 18/KH-UBND",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Phổ Minh, ngày 19 tháng 02 năm 2024",
      "KẾ HOẠCH",
      "Tuyên truyền cải cách hành chính năm 2024 trên địa bàn phường Phổ Minh",
      "I. MỤC ĐÍCH, YÊU CẦU",
      "II. NỘI DUNG, HÌNH THỨC THÔNG TIN, TUYÊN TRUYỀN",
      "III. TỔ CHỨC THỰC HIỆN",
      "4. Đài truyền thanh phường:",
      "Nơi nhận:",
      "- Lưu: VT.",
      "CHỦ TỊCH",
      "Lê Duy Bảo",
    ];
    let at = -1;
    for (const part of order) {
      const next = texts.findIndex((t, i) => i > at && t === part);
      assert.ok(next > at, `"${part}" is in the document, after what comes before it`);
      at = next;
    }
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/, "A4");
  });

  test("a task's supporting units and timing are written when its text does not state them", () => {
    assert.equal(
      taskSentence({
        text: "Phát bản tin về thủ tục mới.",
        timing: "hằng quý",
        supportUnits: [{ id: 1, name: "Văn phòng – Thống kê" }],
      }),
      "Phát bản tin về thủ tục mới (phối hợp với Văn phòng – Thống kê; thời gian: hằng quý).",
    );
    assert.equal(
      taskSentence({ text: "Thường xuyên rà soát thủ tục.", timing: "thường xuyên", supportUnits: [] }),
      "Thường xuyên rà soát thủ tục.",
      "the text already says it",
    );
    assert.deepEqual(splitPlanNumber("07/KH-UBND"), { number: 7, symbol: "KH-UBND" });
    assert.deepEqual(splitPlanNumber(null), { number: null, symbol: "KH-UBND" });
  });
});
