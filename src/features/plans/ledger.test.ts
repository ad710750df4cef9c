import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { type AreaText, pillarFor } from "./ledger.ts";
import { parsePlan } from "./parse-plan.ts";

const SEED_PATH = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "seeds/000_5d25a1a03213bf5f.txt");

test("on the seed plan: answers fall under 2.2 (procedures), surveys under 2.6 (e-government)", () => {
  const parsed = parsePlan(readFileSync(SEED_PATH, "utf8"));
  if (!parsed.ok) assert.fail(parsed.error);
  const areas = parsed.draft.contentAreas;
  assert.equal(areas.find((a) => a.code === "2.2")?.pillar, "procedures");
  assert.equal(areas.find((a) => a.code === "2.6")?.pillar, "e_government");
  assert.equal(pillarFor("answer", areas), "procedures");
  assert.equal(pillarFor("survey", areas), "e_government");
});

test("another plan's wording decides: the area that speaks of the topic, title before items", () => {
  const areas: AreaText[] = [
    { code: "1", title: "Cải cách thể chế", pillar: "institutions", items: ["Tiếp nhận Phản ánh của người dân"] },
    { code: "2", title: "Nâng cao sự HÀI LÒNG của người dân", pillar: "civil_service", items: [] },
    { code: "3", title: "Xử lý phản ánh, kiến nghị", pillar: "procedures", items: [] },
    { code: "4", title: "Đo lường sự hài lòng", pillar: null, items: [] },
  ];
  assert.equal(pillarFor("answer", areas), "procedures", "a title mention wins over an earlier item mention");
  assert.equal(pillarFor("survey", areas), "civil_service", "folded: capitals and tone marks read alike");
  assert.equal(pillarFor("answer", areas.slice(0, 2)), "institutions", "an item mention when no title mentions it");
});

test("no plan, or no area about the topic: the national default", () => {
  assert.equal(pillarFor("answer", []), "procedures");
  assert.equal(pillarFor("survey", []), "e_government");
  const unrelated: AreaText[] = [
    { code: "2.5", title: "Cải cách tài chính công", pillar: "public_finance", items: [] },
  ];
  assert.equal(pillarFor("survey", unrelated), "e_government");
  assert.equal(pillarFor("answer", [{ code: "9", title: "Phản ánh", pillar: null, items: [] }]), "procedures");
});
