/**
 * "Lập kế hoạch năm sau" over HTTP on every database (issue 9 §4): from the seed plan (2024, Phổ Minh) a draft for
 * 2025 of the ward it merged into, its times moved on a year; edited in the staff form (add, change, remove items;
 * bad input refused in Vietnamese with nothing written; units only of the ward); submitted, approved by a leader,
 * issued with the register's number (a number used that year refused); then a plan like an imported one: listed,
 * in force for its year (the ledger attaches activities to it), exported as a numbered KẾ HOẠCH that imports back.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import JSZip from "jszip";
import type { PlanContent } from "../src/features/plans/plan-content.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

/** The edit form's fields for a content, as the page fills them in. */
function formOf(c: PlanContent): Record<string, string> {
  const f: Record<string, string> = {
    title: c.title,
    place: c.place,
    periodFrom: c.period?.from ?? "",
    periodTo: c.period?.to ?? "",
    basis: c.basis.join("\n"),
    purposes: c.purposes.join("\n"),
    requirements: c.requirements.join("\n"),
    documents: c.documentsToCommunicate,
    recipients: c.recipients.join("\n"),
    signerAuthority: c.signer.authority ?? "",
    signerOnBehalfOf: c.signer.onBehalfOf ?? "",
    signerPosition: c.signer.position,
  };
  c.contentAreas.forEach((a, i) => {
    f[`area-${i}-title`] = a.title;
    f[`area-${i}-pillar`] = a.pillar ?? "";
    f[`area-${i}-items`] = a.items.join("\n");
  });
  c.channels.forEach((ch, i) => {
    f[`channel-${i}-title`] = ch.title;
    f[`channel-${i}-kind`] = ch.kind;
  });
  c.groups.forEach((g, i) => {
    f[`group-${i}-heading`] = g.heading;
    f[`group-${i}-unit`] = g.leadUnitId === null ? "" : String(g.leadUnitId);
    g.tasks.forEach((t, j) => {
      f[`task-${i}-${j}-text`] = t.text;
      f[`task-${i}-${j}-timing`] = t.timing ?? "";
      for (const u of t.supportUnits) if (u.id !== null) f[`task-${i}-${j}-support-${u.id}`] = "yes";
    });
  });
  return f;
}

const texts = async (bytes: ArrayBuffer) => {
  const xml = (await (await JSZip.loadAsync(new Uint8Array(bytes))).file("word/document.xml")?.async("string")) ?? "";
  return [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
};

for (const target of testDatabases()) {
  describe(`next year's plan (${target.name})`, () => {
    let w: TestWorld;
    let coordinator: Browser;
    let leader: Browser;
    let officer: Browser;
    let seedId = 0;
    let draftPath = "";

    const draftRow = async () =>
      w.db.kysely
        .selectFrom("plan_drafts")
        .selectAll()
        .where("id", "=", Number(draftPath.split("/").pop()))
        .executeTakeFirstOrThrow();
    const content = async () => JSON.parse((await draftRow()).content_json) as PlanContent;

    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("daitt", "officer", "radio");
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      officer = await logIn(w.app, "daitt", pw("daitt"));
      const text = seedPlanText();
      assert.equal((await coordinator.post("/quan-tri/ke-hoach/nhap", { text })).status, 200, "preview");
      const saved = await coordinator.post("/quan-tri/ke-hoach/xac-nhan", { text });
      seedId = Number(/\/ke-hoach\/(\d+)/.exec(saved.headers.get("location") ?? "")?.[1]);
      assert.ok(seedId > 0, "the seed plan is imported");
    });
    after(async () => w.cleanup());

    test("a draft for the next year is made from the plan: times moved, bases carried, today's ward issues it", async () => {
      assert.equal((await officer.post(`/quan-tri/ke-hoach/${seedId}/nam-sau`, {})).status, 403, "not an officer");
      const page = await coordinator.get(`/quan-tri/ke-hoach/${seedId}`);
      assert.match(await page.text(), /Lập kế hoạch năm sau/, "the plan page offers it");
      const res = await coordinator.post(`/quan-tri/ke-hoach/${seedId}/nam-sau`, {});
      assert.equal(res.status, 303, "the draft is made");
      draftPath = (res.headers.get("location") ?? "").replace(/\?.*$/, "");
      assert.match(draftPath, /^\/quan-tri\/ke-hoach\/du-thao\/\d+$/, "it has a page");
      const c = await content();
      assert.equal(c.title, "Tuyên truyền cải cách hành chính năm 2025 trên địa bàn phường Phổ Minh", "the year moved");
      assert.deepEqual(c.period, { from: "2025-01-01", to: "2025-12-31" }, "the period moved");
      assert.equal(c.issuer, "UBND phường Đức Phổ", "the ward Phổ Minh merged into issues it");
      assert.equal(c.place, "Đức Phổ");
      assert.match(c.basis[0] ?? "", /181\/QĐ-UBND ngày 29\/12\/2023/, "the cited basis is carried, its date kept");
      assert.equal(c.purposes.length, 5, "purposes copied");
      assert.equal(c.contentAreas.length, 6, "content areas copied");
      assert.equal(c.channels.length, 4, "channels copied");
      assert.equal(
        c.groups.reduce((n, g) => n + g.tasks.length, 0),
        16,
        "every task copied",
      );
      assert.equal(c.groups[3]?.leadUnitId, w.unitIds.get("radio"), "each group keeps its unit");
      assert.ok(
        c.groups.flatMap((g) => g.tasks).some((t) => /năm 2025/.test(t.text)),
        "a task's own year moved (kế hoạch … năm 2025)",
      );
      assert.equal(c.signer.name, null, "the signer is named at issue");
      const html = await (await coordinator.get(draftPath)).text();
      assert.match(html, /Dự thảo/, "its status");
      assert.match(html, /name="task-3-0-text"/, "the tasks are editable");
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("action", "=", "plan_draft.create")
        .execute();
      assert.equal(audit.length, 1, "audited");
    });

    test("the draft is edited: items added, changed and removed; bad input refused with nothing written", async () => {
      const c = await content();
      const form = formOf(c);
      const beforeJson = (await draftRow()).content_json;

      const bad = await coordinator.post(draftPath, {
        ...form,
        title: "",
        "task-3-0-timing": "sắp tới",
        "group-3-unit": "999999",
      });
      assert.equal(bad.status, 400, "refused");
      const badHtml = await bad.text();
      assert.match(badHtml, /Ghi tên \(trích yếu\) của kế hoạch/, "an empty title");
      assert.match(badHtml, /Thời gian chưa rõ/, "a timing that says no time");
      assert.match(badHtml, /Chọn một đơn vị đang hoạt động của phường/, "a unit not of the ward");
      assert.match(badHtml, /href="#task-3-0-timing"/, "the summary links to the field");
      const late = await coordinator.post(draftPath, { ...form, "task-3-0-timing": "30/6/2026" });
      assert.equal(late.status, 400, "a due date outside the plan's year");
      assert.match(await late.text(), /nằm ngoài thời gian thực hiện kế hoạch/);
      assert.equal((await draftRow()).content_json, beforeJson, "nothing written");

      const radioGroup = c.groups[3]?.tasks.length ?? 0;
      const edited = await coordinator.post(draftPath, {
        ...form,
        title: "Thông tin, tuyên truyền cải cách hành chính năm 2025 trên địa bàn phường Đức Phổ",
        purposes: `${form.purposes}\nTuyên truyền mô hình chính quyền địa phương hai cấp.`,
        "task-0-0-remove": "yes",
        [`task-3-${radioGroup}-text`]: "Phát chuyên mục hỏi đáp thủ tục hành chính trên sóng phát thanh",
        [`task-3-${radioGroup}-timing`]: "hằng quý",
        [`task-3-${radioGroup}-support-${w.unitIds.get("office")}`]: "yes",
        "channel-4-title": "Trang thông tin điện tử của phường",
        "channel-4-kind": "web_portal",
        "area-0-remove": "yes",
      });
      assert.equal(edited.status, 303, "saved");
      const after = await content();
      assert.match(after.title, /^Thông tin, tuyên truyền/, "the title changed");
      assert.equal(after.purposes.length, 6, "a purpose added");
      assert.equal(after.contentAreas.length, 5, "a content area removed");
      assert.equal(after.channels.length, 5, "a channel added");
      assert.equal(after.groups[0]?.tasks.length, (c.groups[0]?.tasks.length ?? 0) - 1, "a task removed");
      const added = after.groups[3]?.tasks.at(-1);
      assert.equal(added?.timing, "hằng quý", "a task added with its timing");
      assert.deepEqual(
        added?.supportUnits.map((u) => u.id),
        [w.unitIds.get("office")],
        "and a supporting unit",
      );
      assert.equal((await officer.post(draftPath, form)).status, 403, "an officer cannot edit");
    });

    test("submitted, approved by a leader, issued with the register's number: then a plan like an imported one", async () => {
      const unnumbered = await texts(await (await coordinator.get(`${draftPath}/tai.docx`)).arrayBuffer());
      assert.ok(
        unnumbered.some((t) => /^Số:\s+\/KH-UBND$/.test(t)),
        "the draft's DOCX has no number yet",
      );
      assert.ok(unnumbered.includes("PHƯỜNG ĐỨC PHỔ"), "the issuer");

      assert.equal((await coordinator.post(`${draftPath}/duyet`, {})).status, 403, "a coordinator cannot approve");
      assert.equal((await coordinator.post(`${draftPath}/trinh`, {})).status, 303, "submitted");
      assert.equal(
        (await coordinator.post(draftPath, formOf(await content()))).status,
        409,
        "no editing once submitted",
      );
      assert.equal((await leader.post(`${draftPath}/duyet`, {})).status, 303, "approved by the leader");

      // Number 1 of 2025 is already in the office's paper register.
      await w.db.kysely
        .insertInto("document_register")
        .values({
          issuer_unit_id: w.wardId,
          year: 2025,
          number: 1,
          symbol: "QĐ-UBND",
          issued_on: "2025-01-02",
          report_id: null,
          plan_id: null,
          created_at: w.now().toISOString(),
        })
        .execute();
      const plansBefore = (await w.db.kysely.selectFrom("plans").select("id").execute()).length;
      const clash = await coordinator.post(`${draftPath}/ban-hanh`, {
        number: "1",
        issuedOn: "2025-01-10",
        signerName: "Nguyễn Văn An",
      });
      assert.equal(clash.status, 409, "a number used that year is refused");
      assert.match(await clash.text(), /Số 1 đã được dùng trong sổ văn bản đi năm 2025/);
      assert.equal((await draftRow()).status, "approved", "nothing written");
      assert.equal((await w.db.kysely.selectFrom("plans").select("id").execute()).length, plansBefore, "no plan made");

      const issued = await coordinator.post(`${draftPath}/ban-hanh`, {
        number: "",
        issuedOn: "10/01/2025",
        signerName: "Nguyễn Văn An",
      });
      assert.equal(issued.status, 303, "issued");
      const row = await draftRow();
      assert.equal(row.status, "issued");
      assert.equal(row.number, 2, "the next free number of the 2025 register");
      const planId = row.plan_id as number;
      assert.ok(planId > 0, "it became a plan");
      const register = await w.db.kysely
        .selectFrom("document_register")
        .selectAll()
        .where("plan_id", "=", planId)
        .executeTakeFirstOrThrow();
      assert.equal(register.number, 2, "entered in the register");

      const api = (await (await w.app.request(`/api/v1/plans/${planId}?ward=21439`)).json()) as {
        number: string;
        issuedOn: string;
        period: { from: string; to: string };
        signer: { name: string };
        channels: unknown[];
        tasks: {
          id: number;
          text: string;
          units: { id: number; role: string }[];
          dueOn: string | null;
          recurrence: string | null;
        }[];
      };
      assert.equal(api.number, "02/KH-UBND");
      assert.equal(api.issuedOn, "2025-01-10");
      assert.deepEqual(api.period, { from: "2025-01-01", to: "2025-12-31" });
      assert.equal(api.signer.name, "Nguyễn Văn An");
      assert.equal(api.channels.length, 5);
      assert.equal(api.tasks.length, 16, "16 tasks: one removed, one added");
      const added = api.tasks.find((t) => t.text.startsWith("Phát chuyên mục hỏi đáp"));
      assert.equal(added?.recurrence, "quarterly", "its timing read as a recurrence");
      assert.deepEqual(
        added?.units.map((u) => [u.id, u.role]),
        [
          [w.unitIds.get("radio"), "lead"],
          [w.unitIds.get("office"), "support"],
        ],
        "its lead and supporting units",
      );
      const list = (await (await w.app.request("/api/v1/plans?ward=21439")).json()) as { items: { id: number }[] };
      assert.ok(
        list.items.some((p) => p.id === planId),
        "listed with the ward's plans",
      );

      // In force for 2025: an activity recorded on one of its tasks that year belongs to it.
      const f = new FormData();
      f.set("orgUnitId", String(w.unitIds.get("radio")));
      f.set("channelKind", "radio");
      f.set("pillar", "procedures");
      f.set("title", "Chuyên mục hỏi đáp quý I");
      f.set("occurredOn", "2025-03-05");
      f.set("audience", "800");
      f.set("cost", "0");
      assert.equal((await officer.post(`/quan-tri/nhiem-vu/${added?.id}/hoat-dong`, f)).status, 303, "recorded");
      const activity = await w.db.kysely
        .selectFrom("activities")
        .select("plan_id")
        .where("title", "=", "Chuyên mục hỏi đáp quý I")
        .executeTakeFirstOrThrow();
      assert.equal(activity.plan_id, planId, "the ledger counts it under the new plan");

      const docx = await (await coordinator.get(`/quan-tri/ke-hoach/${planId}/tai.docx`)).arrayBuffer();
      const t = await texts(docx);
      for (const part of ["Số: 02/KH-UBND", "Đức Phổ, ngày 10 tháng 01 năm 2025", "Nguyễn Văn An", "PHƯỜNG ĐỨC PHỔ"])
        assert.ok(t.includes(part), `the issued plan's DOCX holds "${part}"`);
      const upload = new FormData();
      upload.set("file", new File([docx], "ke-hoach.docx"));
      const preview = await (await coordinator.post("/quan-tri/ke-hoach/nhap", upload)).text();
      assert.match(preview, /Đã có kế hoạch cùng số và ngày/, "its DOCX is recognised as this plan when imported");
      assert.doesNotMatch(preview, /Thêm mới:|Bỏ khỏi kế hoạch|Sửa lời văn/, "with the same tasks");
      assert.equal(
        (await coordinator.post(`${draftPath}/ban-hanh`, { number: "", issuedOn: "2025-01-10", signerName: "X Y" }))
          .status,
        409,
        "issued once",
      );
    });

    test("a draft without tasks cannot be submitted nor exported", async () => {
      const res = await coordinator.post(`/quan-tri/ke-hoach/${seedId}/nam-sau`, {});
      const path = (res.headers.get("location") ?? "").replace(/\?.*$/, "");
      const id = Number(path.split("/").pop());
      const c = JSON.parse(
        (
          await w.db.kysely
            .selectFrom("plan_drafts")
            .select("content_json")
            .where("id", "=", id)
            .executeTakeFirstOrThrow()
        ).content_json,
      ) as PlanContent;
      const form = formOf(c);
      c.groups.forEach((_, i) => {
        form[`group-${i}-remove`] = "yes";
      });
      assert.equal((await coordinator.post(path, form)).status, 303, "every group removed");
      const submit = await coordinator.post(`${path}/trinh`, {});
      assert.equal(submit.status, 400, "not submitted");
      assert.match(await submit.text(), /Kế hoạch chưa có nhiệm vụ nào/, "saying why");
      const docx = await coordinator.get(`${path}/tai.docx`);
      assert.equal(docx.status, 409, "no file");
      assert.match(await docx.text(), /chưa có nhiệm vụ nào được giao/);
    });
  });
}
