import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { type AreaText, ledgerBreakdown, pillarFor } from "./ledger.ts";
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

describe("ledger breakdown for reports", () => {
  test("sums by channel and by pillar in the national lists' order, with totals", () => {
    const b = ledgerBreakdown([
      { channel: "radio", pillar: "procedures", count: 10, audience: 0, cost: 500000 },
      { channel: "conference", pillar: "procedures", count: 1, audience: 80, cost: 2000000 },
      { channel: "radio", pillar: "institutions", count: 4, audience: 0, cost: 0 },
      { channel: "feedback_answer", pillar: null, count: 3, audience: 0, cost: 0 },
    ]);
    assert.deepEqual(b.total, { count: 18, audience: 80, cost: 2500000 });
    assert.deepEqual(
      b.byChannel.map((l) => [l.key, l.count, l.cost]),
      [
        ["radio", 14, 500000],
        ["conference", 1, 2000000],
        ["feedback_answer", 3, 0],
      ],
    );
    assert.equal(b.byChannel[0]?.label, "Đài truyền thanh, phát thanh");
    assert.deepEqual(
      b.byPillar.map((l) => [l.key, l.count]),
      [
        ["institutions", 4],
        ["procedures", 11],
        ["none", 3],
      ],
    );
  });
});
