/**
 * Published answers to feedback in public, over HTTP on every database: the list at /gop-y/da-tra-loi (also under
 * /w/{ward}) with published items only, newest first, paged, searched with Vietnamese folding; one answer's page; the
 * site search finding answers from the moment they are published; the API `GET /api/v1/feedback?published=1`; and
 * never the sender's name, phone, address or email anywhere public.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const CODE = /PA-20\d\d-[0-9A-Z]{5,6}/;
const birth = {
  content: "Thủ tục Đăng ký khai sinh cho con tại phường phải chờ quá lâu, đề nghị rút ngắn thời gian.",
  name: "Lê Thị Khánh Vân",
  address: "Số 12 đường Nguyễn Nghiêm, tổ 7",
  phone: "0935 111 246",
  email: "khanhvan.le@example.vn",
  procedureCode: "1.000253",
  subject: "procedure",
  contentType: "obstacle",
  consent: "yes",
};
const lamp = {
  content: "Đèn chiếu sáng ở ngõ 4 tổ 2 hỏng nhiều tuần, đề nghị sửa.",
  name: "Phạm Quốc Hưng",
  address: "Ngõ 4, tổ 2, khu phố Phổ Văn",
  phone: "0977 222 135",
  consent: "yes",
};
const hidden = {
  content: "Đăng ký khai sinh quá hạn có bị phạt không, xin phường trả lời giúp.",
  name: "Võ Minh Tâm",
  address: "Tổ 9, phường Đức Phổ",
  phone: "0966 333 579",
  consent: "yes",
};
const BIRTH_ANSWER = "Từ tháng 3/2026, Bộ phận một cửa trả kết quả đăng ký khai sinh trong ngày làm việc.";
const LAMP_ANSWER = "Tổ dân phố đã phối hợp thay bóng đèn ngõ 4 ngày 01/03/2026.";
const KEYS = ["id", "subject", "contentType", "procedureCode", "content", "answer", "publishedAt"];

/** Every spelling of the senders' data that must never reach a public page or the API. */
const PERSONAL = [birth, lamp, hidden].flatMap(
  (s: { name: string; address: string; phone: string; email?: string }) => [
    s.name,
    s.address,
    s.phone,
    s.phone.replace(/\s/g, ""),
    ...(s.email ? [s.email] : []),
  ],
);

for (const target of testDatabases()) {
  describe(`published feedback answers in public (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let ipSeq = 0;
    const freshIp = () => `10.2.0.${++ipSeq}`;
    const codes: Record<"birth" | "lamp" | "hidden", string> = { birth: "", lamp: "", hidden: "" };
    const pub: Record<"birth" | "lamp" | "hidden", string> = { birth: "", lamp: "", hidden: "" };

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");

      // Three citizens file; two answers are published (the lamp one later), the third stays in the workflow.
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const file = async (fields: Record<string, string>) => {
        const form = await (await app.request("/gop-y")).text();
        const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] as string;
        const res = await app.request("/gop-y", {
          method: "POST",
          body: new URLSearchParams({ _form: token, ...fields }),
          headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": freshIp() },
        });
        const code = CODE.exec(await res.text())?.[0] as string;
        const { id } = await w.db.kysely
          .selectFrom("feedback_items")
          .select("id")
          .where("code", "=", code)
          .executeTakeFirstOrThrow();
        return { code, path: `/quan-tri/phan-anh/${id}` };
      };
      const step = async (b: typeof coordinator, path: string, form: Record<string, string> = {}) => {
        const res = await b.post(path, form);
        assert.equal(res.status, 303, `${path}: ${res.status}`);
      };
      const answer = async (path: string, text: string, publish: boolean) => {
        await step(coordinator, `${path}/vao-so`);
        await step(coordinator, `${path}/phan-loai`, { classification: "in_scope" });
        await step(coordinator, `${path}/giao`, { unitId: String(w.unitIds.get("justice")) });
        await step(coordinator, `${path}/du-thao`, { answer: text });
        await step(leader, `${path}/duyet`);
        if (publish) await step(coordinator, `${path}/cong-bo`);
      };
      const b = await file(birth);
      const l = await file(lamp);
      const h = await file(hidden);
      codes.birth = b.code;
      codes.lamp = l.code;
      codes.hidden = h.code;
      await answer(b.path, BIRTH_ANSWER, true);
      w.setNow(new Date(w.now().getTime() + 60 * 60 * 1000));
      await answer(l.path, LAMP_ANSWER, true);
      // Approved but not published: not public yet.
      await answer(h.path, "Chưa công bố: không được hiện ra.", false);
      // Public pages know an answer by its public id only (the hidden one has none: it is not published).
      for (const k of ["birth", "lamp", "hidden"] as const) {
        const r = await w.db.kysely
          .selectFrom("feedback_items")
          .select("public_id")
          .where("code", "=", codes[k])
          .executeTakeFirstOrThrow();
        pub[k] = r.public_id ?? "not-published";
      }
    });
    after(async () => w.cleanup());

    const noPersonalData = (text: string, where: string) => {
      for (const p of PERSONAL) assert.ok(!text.includes(p), `${where} must not show «${p}»`);
    };

    test("the list shows published answers only, newest first, with their procedure, date and answer", async () => {
      const res = await app.request("/gop-y/da-tra-loi");
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.ok(
        page.includes(pub.birth) && page.includes(pub.lamp),
        "expected: page.includes(pub.birth) && page.includes(pub.lamp)",
      );
      assert.ok(!page.includes(codes.birth) && !page.includes(codes.lamp), "never the tracking codes");
      assert.ok(!page.includes(pub.hidden) && !page.includes("Chưa công bố"), "only published items");
      assert.ok(page.indexOf(pub.lamp) < page.indexOf(pub.birth), "newest first");
      assert.ok(
        page.includes(BIRTH_ANSWER) && page.includes(LAMP_ANSWER),
        "expected: page.includes(BIRTH_ANSWER) && page.includes(LAMP_ANSWER)",
      );
      assert.ok(page.includes(birth.content), "expected: page.includes(birth.content)");
      assert.match(page, /href="\/thu-tuc\/1\.000253">Thủ tục 1\.000253/);
      assert.match(page, /Vướng mắc khi thực hiện/);
      assert.match(page, /Ngày công bố<\/dt><dd>02\/03\/2026/);
      assert.match(page, /2 phản ánh, kiến nghị đã có kết quả trả lời/);
      noPersonalData(page, "the public list");

      const again = await app.request("/gop-y/da-tra-loi");
      assert.equal(again.headers.get("x-cache"), "hit", "an anonymous visitor gets the cached page");
    });

    test("search folds Vietnamese: 'dang ky khai sinh' finds 'Đăng ký khai sinh'; under /w/{ward} too", async () => {
      const folded = await (await app.request("/gop-y/da-tra-loi?q=dang+ky+khai+sinh")).text();
      assert.ok(folded.includes(pub.birth), "the birth registration answer is found without tone marks");
      assert.ok(!folded.includes(pub.lamp), "the other answer is not");
      assert.ok(!folded.includes(pub.hidden), "an unpublished item is never found");
      assert.match(folded, /1 kết quả cho «dang ky khai sinh»/);
      assert.match(folded, /value="dang ky khai sinh"/, "the search box keeps the query");

      const byWard = await app.request("/w/21439/gop-y/da-tra-loi?q=den+chieu+sang");
      assert.equal(byWard.status, 200);
      const w1 = await byWard.text();
      assert.ok(
        w1.includes(pub.lamp) && !w1.includes(pub.birth),
        "expected: w1.includes(pub.lamp) && !w1.includes(pub.birth)",
      );
      // The default ward's links carry no /w/ prefix: its pages live at the root.
      assert.match(w1, new RegExp(`href="(/w/21439)?/gop-y/da-tra-loi/${pub.lamp}"`));

      const typo = await (await app.request("/gop-y/da-tra-loi?q=khai+sihn")).text();
      assert.ok(typo.includes(pub.birth), "a typo still finds the answer");
      assert.match(typo, /Không có kết quả khớp đúng «khai sihn»; 1 kết quả gần đúng/);
      const none = await (await app.request("/gop-y/da-tra-loi?q=qwxz+zzyq")).text();
      assert.match(none, /0 kết quả cho «qwxz zzyq»/);
      assert.ok(
        !none.includes(pub.birth) && !none.includes(pub.lamp),
        "expected: !none.includes(pub.birth) && !none.includes(pub.lamp)",
      );
    });

    test("one answer's page, and the site search finds published answers only", async () => {
      const one = await app.request(`/gop-y/da-tra-loi/${pub.birth}`);
      assert.equal(one.status, 200);
      const page = await one.text();
      assert.ok(page.includes(BIRTH_ANSWER), "expected: page.includes(BIRTH_ANSWER)");
      noPersonalData(page, "an answer's page");
      assert.equal((await app.request(`/gop-y/da-tra-loi/${pub.hidden}`)).status, 404, "not published: not found");
      assert.equal(
        (await app.request(`/gop-y/da-tra-loi/${codes.birth}`)).status,
        404,
        "a tracking code is no public address: it would confirm that the code exists",
      );

      const site = await (await app.request("/tim-kiem?q=dang+ky+khai+sinh+phai+cho")).text();
      assert.ok(site.includes(`/gop-y/da-tra-loi/${pub.birth}`), "the site search links to the answer");
      assert.ok(!site.includes(pub.hidden), "expected: !site.includes(pub.hidden)");
      assert.ok(site.includes("Phản ánh, kiến nghị đã trả lời"), "the result says what kind it is, in Vietnamese");
      const onlyFeedback = await (await app.request("/tim-kiem?q=dang+ky+khai+sinh&loai=feedback")).text();
      assert.ok(onlyFeedback.includes(`/gop-y/da-tra-loi/${pub.birth}`), "the kind filter keeps the answers");
      assert.ok(!/href="[^"]*\/thu-tuc\/\d/.test(onlyFeedback), "and no procedure");
      const doc = await w.db.kysely
        .selectFrom("search_docs")
        .selectAll()
        .where("kind", "=", "feedback")
        .orderBy("id")
        .execute();
      assert.equal(doc.length, 2, "one search document per published item");
      for (const d of doc) noPersonalData(JSON.stringify(d), "a search document");
    });

    test("the feedback pages link to the list", async () => {
      for (const path of ["/gop-y", "/gop-y/tra-cuu", "/w/21439/gop-y"]) {
        const html = await (await app.request(path)).text();
        assert.match(html, /href="(\/w\/21439)?\/gop-y\/da-tra-loi">/, `${path} links to the published answers`);
      }
      const token = /name="_form" value="([^"]+)"/.exec(await (await app.request("/gop-y")).text())?.[1];
      assert.ok(token, "the form carries a token");
      const receipt = await app.request("/gop-y", {
        method: "POST",
        body: new URLSearchParams({
          _form: token,
          content: "Đề nghị niêm yết giờ làm việc của Bộ phận một cửa ở cổng trụ sở.",
          name: "Võ Thị Mai",
          address: "Tổ 1, phường Đức Phổ",
          phone: "0905 444 555",
          consent: "yes",
        }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": "10.66.0.1" },
      });
      assert.match(await receipt.text(), /href="\/khao-sat">Đánh giá sự hài lòng/, "the receipt invites a rating");
    });

    test("API: published only, folded search, the stated fields and nothing personal; 400 without published=1", async () => {
      const res = await app.request("/api/v1/feedback?published=1");
      assert.equal(res.status, 200);
      const text = await res.text();
      noPersonalData(text, "the API");
      const body = JSON.parse(text) as {
        total: number;
        page: number;
        pageSize: number;
        items: Record<string, unknown>[];
      };
      assert.equal(body.total, 2);
      assert.equal(body.page, 1);
      assert.equal(body.pageSize, 20);
      assert.deepEqual(
        body.items.map((i) => i.id),
        [pub.lamp, pub.birth],
      );
      for (const item of body.items) assert.deepEqual(Object.keys(item).sort(), [...KEYS].sort());
      const b = body.items[1] as Record<string, unknown>;
      assert.equal(b.subject, "procedure");
      assert.equal(b.contentType, "obstacle");
      assert.equal(b.procedureCode, "1.000253");
      assert.equal(b.answer, BIRTH_ANSWER);
      assert.match(String(b.publishedAt), /^2026-03-02T/);

      const found = (await (await app.request("/api/v1/feedback?published=1&q=dang%20ky%20khai%20sinh")).json()) as {
        total: number;
        items: { id: string }[];
      };
      assert.equal(found.total, 1);
      assert.equal(found.items[0]?.id, pub.birth);

      for (const qs of ["", "?published=0", "?published=true&q=x"]) {
        const bad = await app.request(`/api/v1/feedback${qs}`);
        assert.equal(bad.status, 400, qs);
        const err = (await bad.json()) as { error: { message: string } };
        assert.match(err.error.message, /Chỉ phản ánh, kiến nghị đã công bố kết quả mới được công khai/);
      }
      assert.equal((await app.request("/api/v1/feedback?published=1&page=0")).status, 400);
    });

    test("paged by twenty, newest first; past the last page shows the last page", async () => {
      // 21 more published items, written directly: paging needs numbers, not the workflow again.
      const start = w.now().getTime();
      for (let i = 0; i < 21; i++) {
        await w.db.kysely
          .insertInto("feedback_items")
          .values({
            ward_id: w.wardId,
            code: `PA-2026-TEST${String(i).padStart(2, "0")}`,
            subject: "regulation",
            content_type: "other",
            procedure_code: null,
            content: `Phản ánh thử số ${i} về vệ sinh môi trường.`,
            public_content: `Phản ánh thử số ${i} về vệ sinh môi trường.`,
            status: "published",
            channel: "web",
            received_at: new Date(start).toISOString(),
            idempotency_key: null,
            answer_final: `Trả lời thử số ${i}.`,
            public_answer: `Trả lời thử số ${i}.`,
            public_id: `tstpage${"abcdefghjkmnpqrstuvwxyz"[i]}xx`,
            published_at: new Date(start + (i + 2) * 60_000).toISOString(),
          })
          .execute();
      }
      const p1 = await (await app.request("/gop-y/da-tra-loi")).text();
      assert.match(p1, /23 phản ánh, kiến nghị đã có kết quả trả lời/);
      assert.ok(p1.includes("tstpagexxx") && !p1.includes(pub.lamp), "the newest twenty on page 1");
      assert.match(p1, /Trang 1 \/ 2/);
      assert.match(p1, /href="\/gop-y\/da-tra-loi\?trang=2" rel="next"/);
      assert.ok(
        p1.includes("tstpagebxx") && !p1.includes("tstpageaxx"),
        'expected: p1.includes("tstpagebxx") && !p1.includes("tstpageaxx")',
      );
      const p2 = await (await app.request("/gop-y/da-tra-loi?trang=2")).text();
      assert.ok(
        p2.includes(pub.lamp) && p2.includes(pub.birth) && p2.includes("tstpageaxx"),
        'expected: p2.includes(pub.lamp) && p2.includes(pub.birth) && p2.includes("tstpageaxx")',
      );
      assert.ok(!p2.includes("tstpagebxx"), 'expected: !p2.includes("tstpagebxx")');
      const past = await (await app.request("/gop-y/da-tra-loi?trang=9")).text();
      assert.match(past, /Trang 2 \/ 2/);
      const api = (await (await app.request("/api/v1/feedback?published=1&page=2")).json()) as {
        total: number;
        page: number;
        items: { id: string }[];
      };
      assert.equal(api.total, 23);
      assert.equal(api.page, 2);
      assert.deepEqual(
        api.items.map((i) => i.id),
        ["tstpageaxx", pub.lamp, pub.birth],
      );
    });
  });
}
