/**
 * The legal documents library over HTTP on every database (issue 10 §1): importing the real seed plan makes its 14
 * cited documents entries of the ward (one per distinct number; laws by name and year), a second plan citing the
 * same documents adds none, and an uncertain match waits for staff to confirm or split. Staff complete an entry and
 * its status follows the calendar without further edits; relations are stored once and shown from both sides with
 * the right label; a relation to itself and other bad input are refused in Vietnamese with nothing written; a
 * channel's mention shows on the public page; the site search finds entries; another ward reaches none of it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { citePlanDocuments, mentionDocuments } from "../src/features/documents/citations.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  seedPlanText,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";
import { rowCount } from "./helpers/fixtures.ts";

const BEFORE = new Date("2026-03-02T03:00:00Z");
const AFTER = new Date("2026-03-21T03:00:00Z");

interface ApiDoc {
  id: number;
  number: string | null;
  type: string;
  issuer: string | null;
  issuedOn: string | null;
  effectiveFrom: string | null;
  status: string | null;
  title: string;
  toComplete: boolean;
  relations: { kind: string; label: string; document: { id: number; number: string | null } }[];
}
interface ApiList {
  total: number;
  items: ApiDoc[];
}

for (const target of testDatabases()) {
  describe(`documents: the ward's legal library (${target.name})`, () => {
    let w: TestWorld;
    let officer: Browser;
    let leader: Browser;
    let planId = 0;

    const api = async (query = ""): Promise<ApiList> => {
      const res = await w.app.request(`/api/v1/documents?ward=21439${query}`);
      assert.equal(res.status, 200, `the API answers ${query}`);
      return (await res.json()) as ApiList;
    };
    const byNumber = async (n: string) => {
      const d = (await api()).items.find((i) => i.number === n);
      assert.ok(d, `${n} is in the library`);
      return d;
    };
    const form = (over: Record<string, string> = {}) => ({
      kind: "Nghị định",
      number: "61/2018/NĐ-CP",
      issuer: "Chính phủ",
      title: "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
      issuedOn: "23/04/2018",
      year: "",
      effectiveFrom: "21/06/2018",
      expiresOn: "",
      officialUrl: "https://vbpl.vn/van-ban/chi-tiet/nghi-dinh-61-2018-nd-cp--129123",
      note: "",
      ...over,
    });

    before(async () => {
      w = await createWorld(target, { now: BEFORE });
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "the demo ward resolves");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "the seed plan is imported");
      planId = r.ok ? r.planId : 0;
      await w.createStaff("tuphap", "officer", "justice");
      await w.createStaff("lanhdao", "leader");
      officer = await logIn(w.app, "tuphap", pw("tuphap"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
    });
    after(async () => w.cleanup());

    test("importing the seed plan makes its 14 cited documents entries, one per distinct number", async () => {
      const list = await api();
      assert.equal(list.total, 14, "fourteen entries");
      const numbers = list.items.flatMap((i) => (i.number ? [i.number] : []));
      assert.equal(new Set(numbers).size, numbers.length, "one entry per number");
      assert.deepEqual(
        [...numbers].sort(),
        [
          "08/QĐ-UBND",
          "13-NQ/TU",
          "18-NQ/TW",
          "181/QĐ-UBND",
          "39-NQ/TW",
          "45/2020/NĐ-CP",
          "54/KH-UBND",
          "61/2018/NĐ-CP",
          "61/KH-UBND",
        ],
        "the nine numbered documents",
      );
      const laws = list.items.filter((i) => i.type === "Luật").map((i) => i.title);
      assert.equal(laws.length, 5, "five laws cited by name and year");
      assert.ok(laws.includes("Luật An ninh mạng"), "a law by its name");
      assert.ok(
        list.items.every((i) => i.toComplete),
        "each is an entry to complete",
      );
      const party = list.items.find((i) => i.number === "13-NQ/TU");
      assert.equal(party?.status, null, "a Party resolution has no legal-effect status");
      assert.equal(party?.issuer, "Ban Thường vụ Tỉnh ủy", "the issuer as cited");
      assert.equal((await byNumber("54/KH-UBND")).status, null, "nor has a plan");
      assert.equal((await byNumber("181/QĐ-UBND")).status, "unknown", "a decision without its effective date yet");
      assert.equal((await byNumber("181/QĐ-UBND")).issuedOn, "2023-12-29", "the date as cited");
    });

    test("the plan page links its documents; the document page names the plan", async () => {
      const d = await byNumber("181/QĐ-UBND");
      const plan = await (await w.app.request(`/ke-hoach/${planId}`)).text();
      assert.ok(plan.includes(`href="/van-ban/${d.id}"`), "the plan links the decision's entry");
      const page = await (await w.app.request(`/van-ban/${d.id}`)).text();
      assert.match(page, /Quyết định số 181\/QĐ-UBND/, "the document's page");
      assert.match(page, new RegExp(`href="/ke-hoach/${planId}"`), "it links the plan that cites it");
    });

    test("a second plan citing the same documents adds no entry; re-importing rewrites its citations only", async () => {
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "the ward");
      const second = seedPlanText().replace("Số: 18 /KH-UBND", "Số: 27 /KH-UBND");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, second, {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, `the second plan is imported: ${r.ok ? "" : JSON.stringify(r)}`);
      assert.equal((await api()).total, 14, "still fourteen entries");
      assert.equal(await rowCount(w, "legal_citations"), 28, "two plans × fourteen citations");
      const again = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(again.ok, "the seed plan imported again");
      assert.equal((await api()).total, 14, "still fourteen entries");
      assert.equal(await rowCount(w, "legal_citations"), 28, "citations rewritten, not added");
      const d = await byNumber("61/2018/NĐ-CP");
      const page = await (await w.app.request(`/van-ban/${d.id}`)).text();
      assert.match(page, /Kế hoạch 27\/KH-UBND/, "the page names the second plan");
      assert.match(page, /Kế hoạch 18\/KH-UBND/, "and the first");
    });

    test("bad input is refused in Vietnamese and writes nothing", async () => {
      const d = await byNumber("61/2018/NĐ-CP");
      const before = await rowCount(w, "legal_documents");
      const cases: [Record<string, string>, RegExp][] = [
        [{ number: "", title: "" }, /Nhập số, ký hiệu hoặc tên văn bản/],
        [{ effectiveFrom: "31/02/2018" }, /Ngày có hiệu lực chưa đúng/],
        [{ expiresOn: "01/01/2018" }, /Ngày hết hiệu lực phải sau ngày có hiệu lực/],
        [{ officialUrl: "javascript:alert(1)" }, /Đường dẫn đến văn bản gốc bắt đầu bằng http/],
        [{ title: "x".repeat(501) }, /Trích yếu, tên văn bản tối đa 500 ký tự/],
        [{ number: "abc" }, /Số, ký hiệu viết như trên văn bản/],
        [{ year: "2017" }, /Năm ban hành khác với năm của ngày ban hành/],
        [
          { note: "Liên hệ ông Nguyễn Văn Bình, điện thoại 0905 123 456." },
          /được công khai nên không ghi thông tin cá nhân/,
        ],
      ];
      for (const [over, message] of cases) {
        const res = await officer.post(`/quan-tri/van-ban/${d.id}/sua`, form(over));
        assert.equal(res.status, 400, `${JSON.stringify(over)} is refused`);
        assert.match(await res.text(), message, `${JSON.stringify(over)}: the message says what is wrong`);
      }
      const dup = await officer.post("/quan-tri/van-ban/moi", form());
      assert.equal(dup.status, 400, "a second entry for the same document is refused");
      assert.match(await dup.text(), /Văn bản này đã có trong thư viện/, "and says so");
      assert.equal(await rowCount(w, "legal_documents"), before, "no entry added");
      assert.equal((await byNumber("61/2018/NĐ-CP")).effectiveFrom, null, "nothing changed");
    });

    test("staff complete an entry; its status follows the calendar with no further edit", async () => {
      const d = await byNumber("181/QĐ-UBND");
      const res = await officer.post(
        `/quan-tri/van-ban/${d.id}/sua`,
        form({
          kind: "Quyết định",
          number: "181/QĐ-UBND",
          issuer: "UBND phường Phổ Minh",
          title: "Ban hành Kế hoạch cải cách hành chính phường Phổ Minh năm 2024",
          issuedOn: "29/12/2023",
          effectiveFrom: "10/03/2026",
          officialUrl: "",
        }),
      );
      assert.equal(res.status, 303, "saved");
      const saved = await byNumber("181/QĐ-UBND");
      assert.equal(saved.status, "not_yet", "not yet in force on 02/03/2026");
      assert.equal(saved.toComplete, false, "completed");
      assert.equal((await api("&status=not_yet")).total, 1, "the status filter by code");
      assert.equal((await api(`&status=${encodeURIComponent("Chưa có hiệu lực")}`)).total, 1, "and by label");
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("action", "=", "document.edit")
        .execute();
      assert.equal(audit.length, 1, "the edit is audited");
      w.setNow(AFTER);
      const later = await byNumber("181/QĐ-UBND");
      assert.equal(later.status, "in_force", "in force from 10/03/2026, nobody edited it");
      const page = await (await w.app.request(`/van-ban/${d.id}`)).text();
      assert.match(page, /Còn hiệu lực/, "the public page says so");
      w.setNow(BEFORE);
      officer = await logIn(w.app, "tuphap", pw("tuphap"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
    });

    test("a relation is stored once and shown from both sides; a relation to itself is refused", async () => {
      const a = await byNumber("08/QĐ-UBND");
      const b = await byNumber("181/QĐ-UBND");
      const self = await officer.post(`/quan-tri/van-ban/${a.id}/quan-he`, {
        relation: "replaces",
        otherId: String(a.id),
      });
      assert.equal(self.status, 400, "a relation to itself is refused");
      assert.match(await self.text(), /không thể có quan hệ với chính nó/, "in Vietnamese");
      assert.equal(await rowCount(w, "legal_relations"), 0, "nothing written");
      // On 08/QĐ-UBND's page: "this document is replaced by 181/QĐ-UBND".
      const res = await officer.post(`/quan-tri/van-ban/${a.id}/quan-he`, {
        relation: "replaces:passive",
        otherId: String(b.id),
      });
      assert.equal(res.status, 303, "related");
      assert.equal(await rowCount(w, "legal_relations"), 1, "stored once");
      const twice = await officer.post(`/quan-tri/van-ban/${b.id}/quan-he`, {
        relation: "replaces",
        otherId: String(a.id),
      });
      assert.equal(twice.status, 409, "the same relation from the other side is refused");
      const fromA = (await byNumber("08/QĐ-UBND")).relations;
      const fromB = (await byNumber("181/QĐ-UBND")).relations;
      assert.deepEqual(
        fromA.map((r) => [r.kind, r.label, r.document.number]),
        [["replaced_by", "Văn bản thay thế", "181/QĐ-UBND"]],
        "from the replaced one",
      );
      assert.deepEqual(
        fromB.map((r) => [r.kind, r.label, r.document.number]),
        [["replaces", "Văn bản bị thay thế", "08/QĐ-UBND"]],
        "from the replacing one",
      );
      const pageA = await (await w.app.request(`/van-ban/${a.id}`)).text();
      assert.match(pageA, /Văn bản thay thế<\/span> <a href="\/van-ban\/\d+">Quyết định số 181\/QĐ-UBND/, "A's page");
      const pageB = await (await w.app.request(`/van-ban/${b.id}`)).text();
      assert.match(pageB, /Văn bản bị thay thế<\/span> <a href="\/van-ban\/\d+">Quyết định số 08\/QĐ-UBND/, "B's page");
    });

    test("a status event (suspension) changes the status from its day", async () => {
      const d = await byNumber("61/2018/NĐ-CP");
      assert.equal((await officer.post(`/quan-tri/van-ban/${d.id}/sua`, form())).status, 303, "completed");
      assert.equal((await byNumber("61/2018/NĐ-CP")).status, "in_force", "in force");
      const bad = await officer.post(`/quan-tri/van-ban/${d.id}/hieu-luc`, {
        kind: "suspended",
        onDate: "32/01/2026",
        note: "",
      });
      assert.equal(bad.status, 400, "a wrong date is refused");
      assert.match(await bad.text(), /Ngày chưa đúng/, "in Vietnamese");
      const ok = await officer.post(`/quan-tri/van-ban/${d.id}/hieu-luc`, {
        kind: "suspended",
        onDate: "01/03/2026",
        note: "Theo quyết định đình chỉ",
      });
      assert.equal(ok.status, 303, "recorded");
      assert.equal((await byNumber("61/2018/NĐ-CP")).status, "suspended", "suspended from 01/03/2026");
    });

    test("an uncertain match waits for staff, who split it into its own entry", async () => {
      // A plan citing "Quyết định số 08/QĐ-UBND" without issuer or date: perhaps the ward's 2022 decision.
      await w.db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto("plan_references")
          .values({
            plan_id: planId,
            kind: "Quyết định",
            number: "08/QĐ-UBND",
            title: null,
            issued_on: null,
            issuer: null,
            year: null,
            position: 99,
          })
          .execute();
        await citePlanDocuments(trx, w.wardId, planId, w.now().toISOString());
      });
      assert.equal((await api()).total, 14, "no entry made for an uncertain match");
      const list = await (await officer.get("/quan-tri/van-ban")).text();
      assert.match(list, /Trích dẫn cần xác nhận/, "staff see it");
      const cid = Number(/\/quan-tri\/van-ban\/trich-dan\/(\d+)\/tach/.exec(list)?.[1]);
      assert.ok(cid > 0, "with a split button");
      assert.equal(
        (await leader.post(`/quan-tri/van-ban/trich-dan/${cid}/tach`, {})).status,
        403,
        "not the leader's to settle",
      );
      const res = await officer.post(`/quan-tri/van-ban/trich-dan/${cid}/tach`, {});
      assert.equal(res.status, 303, "split");
      const after = await api();
      assert.equal(after.total, 15, "its own entry now");
      assert.equal(after.items.filter((i) => i.number === "08/QĐ-UBND").length, 2, "two decisions numbered 08");
      assert.doesNotMatch(await (await officer.get("/quan-tri/van-ban")).text(), /Trích dẫn cần xác nhận/, "settled");
    });

    test("a channel's mention shows on the document page with when and how", async () => {
      const d = await byNumber("45/2020/NĐ-CP");
      const n = await w.db.kysely.transaction().execute((trx) =>
        mentionDocuments(trx, w.wardId, [d.id, 999999], {
          source: "event",
          sourceRef: 7,
          on: "2026-03-20",
          channel: "Hội nghị tuyên truyền tại tổ dân phố 4",
        }),
      );
      assert.equal(n, 1, "only the ward's own entry");
      const page = await (await w.app.request(`/van-ban/${d.id}`)).text();
      assert.match(page, /20\/03\/2026: Hội nghị tuyên truyền tại tổ dân phố 4/, "when and how");
    });

    test("the text as a PDF: checked by content, stored, downloaded from the public page", async () => {
      const d = await byNumber("61/2018/NĐ-CP");
      const enc = (t: string) => new TextEncoder().encode(t);
      const pdf = enc(
        "%PDF-1.4\n% nd61\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
      );
      const png = new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
        8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
      ]);
      const send = (name: string, bytes: Uint8Array<ArrayBuffer>) => {
        const f = new FormData();
        f.set("file", new File([bytes], name));
        return officer.post(`/quan-tri/van-ban/${d.id}/tep`, f);
      };
      const files = await rowCount(w, "stored_files");
      const image = await send("nd61.pdf", png);
      assert.equal(image.status, 415, "an image named .pdf is refused");
      assert.match(await image.text(), /không phải văn bản: chỉ nhận tệp PDF hoặc Word/, "in Vietnamese");
      assert.equal(await rowCount(w, "stored_files"), files, "nothing stored");
      assert.equal((await w.app.request(`/van-ban/${d.id}/tep`)).status, 404, "no file yet");
      assert.equal((await send("nd61.pdf", pdf)).status, 303, "a PDF is stored");
      const page = await (await w.app.request(`/van-ban/${d.id}`)).text();
      assert.ok(page.includes(`href="/van-ban/${d.id}/tep"`), "the public page links the file");
      const dl = await w.app.request(`/van-ban/${d.id}/tep`);
      assert.equal(dl.status, 200, "downloaded");
      assert.equal(dl.headers.get("content-type"), "application/pdf", "as a PDF");
      assert.deepEqual(new Uint8Array(await dl.arrayBuffer()), pdf, "the bytes sent");
    });

    test("found by the site search, folded Vietnamese", async () => {
      const page = await (await w.app.request(`/tim-kiem?q=${encodeURIComponent("luat an ninh mang")}`)).text();
      assert.match(page, /Luật An ninh mạng/, "the law is found");
      assert.match(page, /(?:href="|den=)\/van-ban\/\d+"/, "linking its page (through the redirect that counts opens)");
    });

    test("the public list filters by type, issuer, year and status", async () => {
      const all = await (await w.app.request("/van-ban")).text();
      assert.match(all, /15 \/ 15 văn bản/, "every entry");
      const kind = await (await w.app.request(`/van-ban?loai=${encodeURIComponent("Luật")}`)).text();
      assert.match(kind, /5 \/ 15 văn bản/, "the laws");
      const year = await (await w.app.request("/van-ban?nam=2018")).text();
      assert.match(year, /3 \/ 15 văn bản/, "of 2018: two laws and the decree 61");
      const issuer = await (await w.app.request(`/van-ban?co-quan=${encodeURIComponent("Chính phủ")}`)).text();
      assert.match(issuer, /Nghị định số 61\/2018\/NĐ-CP/, "by issuer");
      const status = await (await w.app.request("/van-ban?hieu-luc=suspended")).text();
      assert.match(status, /1 \/ 15 văn bản/, "by status");
    });

    test("another ward reaches none of it; the leader reads but does not write; CSRF is required", async () => {
      const d = await byNumber("61/2018/NĐ-CP");
      const otherWard = await setUpOtherWard(w, "21451");
      const office = await w.db.kysely
        .selectFrom("org_units")
        .select("id")
        .where("ward_id", "=", otherWard)
        .executeTakeFirstOrThrow();
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "vanban_b",
          displayName: "Văn phòng phường B",
          password: pw("vanban_b"),
          role: "coordinator",
          wardId: otherWard,
          orgUnitId: office.id,
        },
        w.now(),
      );
      assert.ok(made.ok, "ward B's coordinator");
      const intruder = await logIn(w.app, "vanban_b", pw("vanban_b"));
      assert.equal((await intruder.get(`/quan-tri/van-ban/${d.id}`)).status, 404, "not found for ward B");
      assert.equal(
        (await intruder.post(`/quan-tri/van-ban/${d.id}/sua`, form({ title: "Sửa trái phép" }))).status,
        404,
        "nor editable",
      );
      assert.equal((await w.app.request(`/w/21451/van-ban/${d.id}`)).status, 404, "nor on ward B's public pages");
      assert.equal((await w.app.request(`/w/21451/van-ban/${d.id}/tep`)).status, 404, "nor its file");
      const bList = (await (await w.app.request("/api/v1/documents?ward=21451")).json()) as ApiList;
      assert.equal(bList.total, 0, "ward B's library is its own");
      const bPage = await w.app.request("/w/21451/van-ban");
      assert.equal(bPage.status, 200, "ward B's list page");
      assert.match(await bPage.text(), /Không có văn bản phù hợp/, "empty");
      assert.equal((await leader.get(`/quan-tri/van-ban/${d.id}`)).status, 200, "the leader reads");
      assert.equal((await leader.post(`/quan-tri/van-ban/${d.id}/sua`, form())).status, 403, "but does not write");
      const noCsrf = await w.app.request(`/quan-tri/van-ban/${d.id}/sua`, {
        method: "POST",
        body: new URLSearchParams(form({ title: "Không có mã CSRF" })),
        headers: { cookie: officer.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(noCsrf.status, 403, "a POST without the CSRF token is refused");
      const bad = await w.app.request("/api/v1/documents?ward=21439&year=20x");
      assert.equal(bad.status, 400, "a bad query is a 400");
      const badStatus = await w.app.request("/api/v1/documents?ward=21439&status=hieu-luc-lam");
      assert.equal(badStatus.status, 400, "an unknown status is a 400");
      assert.match(await badStatus.text(), /status: tình trạng hiệu lực không đúng/, "saying so in Vietnamese");
    });

    test("the OpenAPI document describes the endpoint", async () => {
      const doc = (await (await w.app.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
      assert.ok(doc.paths["/api/v1/documents"], "documented");
    });
  });
}
