// A citizen's feedback from a procedure page to its published answer, in a real browser against the real app over
// SQLite (issue 4 §7):
//   procedure page → "Góp ý về thủ tục này" (the form pre-filled with the procedure) → the form, filled with the
//   keyboard and plain controls, no JavaScript widget → the receipt with the tracking code;
//   staff, each in their own browser session: the coordinator registers, classifies in scope and assigns to a unit;
//   an officer of that unit drafts the answer; the leader approves it; the coordinator publishes it;
//   the citizen looks the code up with their phone number and reads the answer; the answer is on the public list
//   of answered feedback and its own page, without the sender's name or phone.
// Then a question asked from a procedure to its published FAQ entry.
// axe-core must report no serious or critical violation on any page visited (public pages and the staff steps).
import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { importProcedures } from "../../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../../src/features/procedures/read-records.ts";
import { createWorld, pw, SHARED_DIR, type TestWorld, testDatabases } from "../helpers/env.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage } from "./browser.ts";

const PHONE = { width: 390, height: 844 };
const TIMEOUT_MS = 30_000;
const DATA = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
const CITIZEN = {
  name: "Phạm Thị Lan",
  address: "Tổ dân phố 4, phường Đức Phổ",
  phone: "0905 123 456",
  content:
    "Tôi nộp hồ sơ từ hai tuần trước nhưng chưa nhận được kết quả, cũng không được báo lý do chậm. Đề nghị phường kiểm tra.",
};
const ANSWER = "Hồ sơ của bà đã được giải quyết ngày 05/03/2026; bộ phận một cửa đã liên hệ để bà nhận kết quả.";
const QUESTION = "Tôi đang ở nhờ nhà người thân thì có đăng ký thường trú được không, cần giấy tờ gì?";
const FAQ_ANSWER = "Được, nếu chủ hộ đồng ý cho nhập khẩu; mang giấy tờ chứng minh chỗ ở hợp pháp và văn bản đồng ý.";

describeBrowser("feedback journey: from a procedure page to a published answer", () => {
  let world: TestWorld;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let procedure: { code: string; name: string };
  const checked: string[] = [];

  /** axe on the page; a public page must also work without JavaScript, so it carries none (axe itself needs it). */
  const a11y = async (page: Page, label: string) => {
    if (!label.startsWith("staff"))
      assert.equal(await page.locator("script").count(), 0, `${label}: no script, nothing depends on JavaScript`);
    await assertNoSeriousA11y(page, label);
    checked.push(label);
  };

  /** A staff member's own browser session, logged in through the login page. */
  const staffPage = async (username: string) => {
    const page = await newPage(browser);
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${base}/dang-nhap`);
    await page.getByLabel("Tên đăng nhập").fill(username);
    await page.getByLabel("Mật khẩu").fill(pw(username));
    await Promise.all([page.waitForURL(/\/quan-tri/), page.getByRole("button", { name: "Đăng nhập" }).click()]);
    return page;
  };

  /** Press a step's button on a staff item page; the page comes back with the saved notice. */
  const step = async (page: Page, button: string) => {
    await Promise.all([page.waitForURL(/da-luu=/), page.getByRole("button", { name: button }).click()]);
    assert.equal(await page.locator(".error-summary").count(), 0, `${button}: no error`);
  };

  const status = async (code: string) =>
    (
      await world.db.kysely
        .selectFrom("feedback_items")
        .select("status")
        .where("code", "=", code)
        .executeTakeFirstOrThrow()
    ).status;

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    world = await createWorld(sqlite);
    // A slice of the real catalogue is enough for one procedure page.
    const lines = fs
      .readFileSync(DATA, "utf8")
      .split("\n")
      .filter((l) => l && !l.includes("QĐ-UBND"))
      .slice(0, 30);
    const read = await readProcedureFile(new TextEncoder().encode(`${lines.join("\n")}\n`), "thu-tuc.jsonl");
    const now = world.now();
    const r = await importProcedures(world.db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
      dryRun: false,
      today: vnToday(now),
      now,
    });
    assert.ok(r.ok, JSON.stringify(r.problems.slice(0, 3)));
    const first = JSON.parse(lines[0] as string) as { ma_thu_tuc: string; ten_thu_tuc: string };
    procedure = { code: first.ma_thu_tuc, name: first.ten_thu_tuc };
    await world.createStaff("dieuphoi", "coordinator");
    await world.createStaff("canbo", "officer", "radio");
    await world.createStaff("lanhdao", "leader");
    server = serve({ fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" });
    if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (server) {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await world?.cleanup();
  });

  test("a citizen's feedback is answered, approved, published and read back", { timeout: 180_000 }, async () => {
    const citizen = await newPage(browser, { viewport: PHONE });
    citizen.setDefaultTimeout(TIMEOUT_MS);

    // The procedure page leads to the form, pre-filled with the procedure.
    await citizen.goto(`${base}/thu-tuc/${procedure.code}`);
    await a11y(citizen, "procedure");
    await Promise.all([
      citizen.waitForURL(/\/gop-y\?thu-tuc=/),
      citizen.getByRole("link", { name: "Góp ý về thủ tục này" }).click(),
    ]);
    await a11y(citizen, "feedback form");
    assert.equal(await citizen.locator("#gy-procedureCode").inputValue(), procedure.code);
    assert.equal(await citizen.locator("#gy-subject").inputValue(), "procedure");
    await citizen.locator("#gy-contentType").selectOption("obstacle");
    await citizen.getByLabel("Nội dung phản ánh, kiến nghị").fill(CITIZEN.content);
    await citizen.getByLabel("Họ và tên").fill(CITIZEN.name);
    await citizen.getByLabel("Địa chỉ liên hệ").fill(CITIZEN.address);
    await citizen.getByRole("textbox", { name: /^Số điện thoại/ }).fill(CITIZEN.phone);
    await citizen.locator("#gy-consent").check();
    await Promise.all([
      citizen.waitForLoadState("load"),
      citizen.getByRole("button", { name: "Gửi phản ánh, kiến nghị" }).click(),
    ]);
    await citizen.getByRole("heading", { name: "Đã gửi phản ánh, kiến nghị" }).waitFor();
    await a11y(citizen, "receipt");
    const code = ((await citizen.locator(".gy-code").textContent()) ?? "").trim();
    assert.match(code, /^PA-2026-[0-9A-Z]{5,6}$/);
    const item = await world.db.kysely
      .selectFrom("feedback_items")
      .select(["id", "procedure_code", "content_type"])
      .where("code", "=", code)
      .executeTakeFirstOrThrow();
    assert.equal(item.procedure_code, procedure.code);
    assert.equal(item.content_type, "obstacle");
    const itemUrl = `${base}/quan-tri/phan-anh/${item.id}`;

    // Staff, each in their own session, through the item page's forms.
    const coordinator = await staffPage("dieuphoi");
    await coordinator.goto(`${base}/quan-tri/phan-anh`);
    await Promise.all([coordinator.waitForURL(itemUrl), coordinator.getByRole("link", { name: code }).first().click()]);
    await a11y(coordinator, "staff item (coordinator)");
    await step(coordinator, "Vào sổ");
    await coordinator.getByLabel("Thuộc thẩm quyền của phường").check();
    await step(coordinator, "Phân loại");
    await coordinator.getByLabel("Đơn vị xử lý").selectOption(String(world.unitIds.get("radio")));
    await step(coordinator, "Giao xử lý");
    assert.equal(await status(code), "processing");

    const officer = await staffPage("canbo");
    await officer.goto(itemUrl);
    await officer.getByLabel("Dự thảo nội dung trả lời").fill(ANSWER);
    await step(officer, "Lưu dự thảo, trình lãnh đạo");
    assert.equal(await status(code), "drafted");

    const leader = await staffPage("lanhdao");
    await leader.goto(itemUrl);
    await a11y(leader, "staff item (leader)");
    assert.ok(((await leader.locator("main").textContent()) ?? "").includes(ANSWER), "the leader reads the draft");
    await step(leader, "Phê duyệt nội dung trả lời");
    assert.equal(await status(code), "decided");

    await coordinator.goto(itemUrl);
    // The public copy of the text, offered with personal data masked (none here) and checked before publishing.
    const publicText = coordinator.getByRole("textbox", { name: /^Nội dung phản ánh công khai/ });
    assert.equal(await publicText.inputValue(), CITIZEN.content);
    await a11y(coordinator, "staff publish (coordinator)");
    await step(coordinator, "Công bố kết quả");
    assert.equal(await status(code), "published");

    // The citizen follows the code with their phone number and reads the answer.
    await citizen.goto(`${base}/gop-y/tra-cuu`);
    await a11y(citizen, "lookup form");
    await citizen.getByLabel("Mã tra cứu").fill(code.toLowerCase());
    await citizen.getByLabel("Số điện thoại đã dùng khi gửi").fill(CITIZEN.phone.replace(/ /g, ""));
    await Promise.all([citizen.waitForLoadState("load"), citizen.getByRole("button", { name: "Tra cứu" }).click()]);
    const result = (await citizen.locator("main").textContent()) ?? "";
    assert.match(result, /Đã công bố kết quả/);
    assert.ok(result.includes(ANSWER), "the sender reads the answer");
    await a11y(citizen, "lookup result");

    // The answer is on the public list and its own page, without the sender.
    await citizen.goto(`${base}/gop-y/da-tra-loi`);
    await a11y(citizen, "answered feedback");
    // Linked by its public id, never by the tracking code.
    assert.equal(await citizen.locator(`a[href*="${code}"]`).count(), 0, "no link carries the tracking code");
    await Promise.all([
      citizen.waitForURL(/\/gop-y\/da-tra-loi\/[a-z][a-z2-9]{9}$/),
      citizen.locator(".gy-answers h2 a").first().click(),
    ]);
    const published = (await citizen.locator("main").textContent()) ?? "";
    assert.ok(
      published.includes(ANSWER) && published.includes(CITIZEN.content.slice(0, 40)),
      "expected: published.includes(ANSWER) && published.includes(CITIZEN.content.slice(0, 40))",
    );
    for (const personal of [CITIZEN.name, CITIZEN.address, "0905123456", CITIZEN.phone])
      assert.ok(!published.includes(personal), `no ${personal} on the public page`);
    await a11y(citizen, "answered feedback item");
  });

  test("a question asked about a procedure becomes a published FAQ entry", { timeout: 120_000 }, async () => {
    const citizen = await newPage(browser, { viewport: PHONE });
    citizen.setDefaultTimeout(TIMEOUT_MS);
    await citizen.goto(`${base}/thu-tuc/${procedure.code}`);
    await Promise.all([
      citizen.waitForURL(/\/hoi-dap\/hoi\?thu-tuc=/),
      citizen.getByRole("link", { name: "Hỏi về trường hợp của bạn" }).click(),
    ]);
    await a11y(citizen, "ask form");
    assert.equal(await citizen.locator("[name=procedureCode]").inputValue(), procedure.code);
    await citizen.locator("[name=question]").fill(QUESTION);
    await citizen.locator("[name=name]").fill(CITIZEN.name);
    await citizen.locator("[name=phone]").fill(CITIZEN.phone);
    await citizen.locator("[name=consent]").check();
    await Promise.all([citizen.waitForLoadState("load"), citizen.getByRole("button", { name: /Gửi câu hỏi/ }).click()]);
    assert.match((await citizen.locator("main").textContent()) ?? "", /HD-2026-[0-9A-Z]{5,6}/);
    await a11y(citizen, "question sent");
    const q = await world.db.kysely
      .selectFrom("questions")
      .select(["id", "procedure_code"])
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    assert.equal(q.procedure_code, procedure.code);

    // The staff steps in the browser too: route to a unit, draft, the leader approves, publish.
    const itemUrl = `${base}/quan-tri/hoi-dap/${q.id}`;
    const coordinator = await staffPage("dieuphoi");
    await coordinator.goto(itemUrl);
    await coordinator.locator("[name=unitId]").selectOption(String(world.unitIds.get("radio")));
    await Promise.all([
      coordinator.waitForURL(/da-luu=/),
      coordinator.locator("form:has([name=unitId]) button[type=submit]").click(),
    ]);
    await coordinator.locator("[name=answer]").fill(FAQ_ANSWER);
    await Promise.all([
      coordinator.waitForURL(/da-luu=/),
      coordinator.locator("form:has([name=answer]) button[type=submit]").click(),
    ]);
    const leader = await staffPage("lanhdao");
    await leader.goto(itemUrl);
    await Promise.all([leader.waitForURL(/da-luu=/), leader.locator(`form[action$="/duyet"] button`).click()]);
    await coordinator.goto(itemUrl);
    await Promise.all([
      coordinator.waitForURL(/da-luu=/),
      coordinator.locator(`form[action$="/cong-bo"] button`).click(),
    ]);

    await citizen.goto(`${base}/hoi-dap/${q.id}`);
    const entry = (await citizen.locator("main").textContent()) ?? "";
    assert.ok(entry.includes(QUESTION) && entry.includes(FAQ_ANSWER), "the FAQ entry shows question and answer");
    assert.ok(!entry.includes(CITIZEN.name), "without the asker");
    await a11y(citizen, "FAQ entry");
    await citizen
      .getByRole("link", { name: new RegExp(procedure.code.replace(".", "\\.")) })
      .first()
      .waitFor();
  });

  test("every public page visited was checked by axe", () => {
    for (const label of [
      "procedure",
      "feedback form",
      "receipt",
      "lookup form",
      "lookup result",
      "answered feedback",
      "answered feedback item",
      "ask form",
      "question sent",
      "FAQ entry",
    ])
      assert.ok(checked.includes(label), `axe ran on ${label}`);
  });
});
