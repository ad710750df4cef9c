import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_WARD_UNITS, type MatchableUnit, matchUnit, unitKey } from "./unit-match.ts";

const units: MatchableUnit[] = DEFAULT_WARD_UNITS.map((u) => ({ id: u.code, name: u.name, aliases: [...u.aliases] }));

test("the seven default units, each with a stable code", () => {
  assert.deepEqual(
    DEFAULT_WARD_UNITS.map((u) => [u.code, u.name]),
    [
      ["office", "Văn phòng – Thống kê"],
      ["culture_social", "Văn hóa – Xã hội"],
      ["justice", "Tư pháp – Hộ tịch"],
      ["radio", "Đài truyền thanh"],
      ["finance", "Tài chính – Kế toán"],
      ["front", "Ủy ban MTTQ và các đoàn thể"],
      ["residential_group", "Tổ dân phố"],
    ],
  );
  const front = DEFAULT_WARD_UNITS.find((u) => u.code === "front");
  assert.ok(
    front?.aliases.includes("Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội"),
    'expected: front?.aliases.includes("Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội")',
  );
});

test("unitKey folds, unifies dashes and drops filler words", () => {
  assert.equal(unitKey("Văn phòng – Thống kê UBND phường"), "van phong thong ke");
  assert.equal(unitKey("Văn phòng — Thống kê"), unitKey("Văn phòng - Thống kê"));
  assert.equal(unitKey("Ngành Văn hóa - xã hội"), "van hoa xa hoi");
  assert.equal(unitKey("Công chức Tài chính - kế toán"), "tai chinh ke toan");
  assert.equal(unitKey("Đài truyền thanh phường"), "dai truyen thanh");
  assert.equal(unitKey("Bộ phận Tư pháp - Hộ tịch Ủy ban nhân dân xã"), "tu phap ho tich");
  assert.equal(unitKey("Đề nghị Ủy ban Mặt trận phường"), "uy ban mat tran");
  assert.equal(unitKey("Tổ dân phố".normalize("NFD")), "to dan pho");
});

test("matchUnit maps the seed's six group headings", () => {
  const cases: [string, string][] = [
    ["Văn phòng – Thống kê UBND phường", "office"],
    ["Ngành Văn hóa - xã hội", "culture_social"],
    ["Ngành Tư pháp - hộ tịch", "justice"],
    ["Đài truyền thanh phường", "radio"],
    ["Công chức Tài chính - kế toán", "finance"],
    ["Đề nghị Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội phường", "front"],
  ];
  for (const [heading, code] of cases) assert.equal(matchUnit(heading, units)?.unitId, code, heading);
  assert.deepEqual(matchUnit("Ngành Văn hóa - xã hội", units), { unitId: "culture_social", via: "name" });
  assert.deepEqual(matchUnit("Đề nghị Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội phường", units), {
    unitId: "front",
    via: "alias",
  });
});

test("matchUnit: containment for longer headings, conservative otherwise", () => {
  assert.equal(matchUnit("Đài truyền thanh phường Phổ Minh", units)?.unitId, "radio");
  assert.equal(matchUnit("Ủy ban MTTQVN phường", units)?.unitId, "front");
  assert.equal(matchUnit("Các Tổ dân phố", units)?.unitId, "residential_group");
  assert.equal(matchUnit("Công an phường", units), null);
  assert.equal(matchUnit("Phòng Văn hóa - Thông tin thị xã Đức Phổ", units), null);
  assert.equal(matchUnit("Văn phòng HĐND và UBND phường", units)?.unitId, "office");
  assert.equal(matchUnit("Hội Liên hiệp Phụ nữ phường", units), null);
  assert.equal(matchUnit("", units), null);
});

test("matchUnit refuses to guess between two units matching equally well", () => {
  const twins: MatchableUnit[] = [
    { id: 1, name: "Văn hóa – Thông tin", aliases: [] },
    { id: 2, name: "Văn hóa – Xã hội", aliases: [] },
  ];
  assert.equal(matchUnit("Văn hóa", twins), null);
  assert.deepEqual(matchUnit("Ngành Văn hóa - Thông tin", twins), { unitId: 1, via: "name" });
});
