import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Cited,
  documentNumbersIn,
  type EntryKey,
  findEntry,
  hasLegalEffect,
  keyOfCited,
  matchCited,
  RELATION_CHOICES,
  relationFrom,
  statusOfFilter,
  statusOn,
  storedRelation,
} from "./documents.rules.ts";

const decree = { kind: "Nghị định", number: "61/2018/NĐ-CP", issuer: "Chính phủ", expiresOn: null, events: [] };

test("status: computed from the dates on the day asked, without anyone editing", () => {
  const d = { ...decree, effectiveFrom: "2018-04-23" };
  assert.equal(statusOn(d, "2018-04-22"), "not_yet");
  assert.equal(statusOn(d, "2018-04-23"), "in_force");
  assert.equal(statusOn({ ...d, expiresOn: "2024-01-01" }, "2023-12-31"), "in_force");
  assert.equal(statusOn({ ...d, expiresOn: "2024-01-01" }, "2024-01-01"), "expired");
  assert.equal(statusOn({ ...decree, effectiveFrom: null }, "2024-01-01"), "unknown");
});

test("status: explicit events and the documents that replace or abrogate it", () => {
  const d = { ...decree, effectiveFrom: "2018-04-23" };
  const ev = (kind: string, onDate: string) => ({ kind, onDate });
  assert.equal(statusOn({ ...d, events: [ev("suspended", "2020-01-01")] }, "2019-12-31"), "in_force");
  assert.equal(statusOn({ ...d, events: [ev("suspended", "2020-01-01")] }, "2020-01-01"), "suspended");
  assert.equal(
    statusOn({ ...d, events: [ev("suspended", "2020-01-01"), ev("resumed", "2020-06-01")] }, "2020-07-01"),
    "in_force",
  );
  assert.equal(statusOn({ ...d, events: [ev("expired_partly", "2021-01-01")] }, "2021-02-01"), "expired_partly");
  assert.equal(statusOn({ ...d, endedBy: [{ partly: false, on: "2025-01-01" }] }, "2024-12-31"), "in_force");
  assert.equal(statusOn({ ...d, endedBy: [{ partly: false, on: "2025-01-01" }] }, "2025-01-01"), "expired");
  assert.equal(statusOn({ ...d, endedBy: [{ partly: true, on: "2025-01-01" }] }, "2025-01-02"), "expired_partly");
  assert.equal(statusOn({ ...d, endedBy: [{ partly: false, on: null }] }, "2025-01-02"), "in_force");
});

test("status: Party resolutions, plans and letters have none", () => {
  const base = { expiresOn: null, effectiveFrom: "2023-09-06", events: [] };
  assert.equal(
    statusOn({ ...base, kind: "Nghị quyết", number: "13-NQ/TU", issuer: "Ban Thường vụ Tỉnh ủy" }, "2024-01-01"),
    null,
  );
  assert.equal(statusOn({ ...base, kind: "Nghị quyết", number: "18-NQ/TW", issuer: null }, "2024-01-01"), null);
  assert.equal(
    statusOn({ ...base, kind: "Kế hoạch", number: "54/KH-UBND", issuer: "UBND phường" }, "2024-01-01"),
    null,
  );
  assert.ok(
    hasLegalEffect({ kind: "Nghị quyết", number: "76/NQ-CP", issuer: "Chính phủ" }),
    "a Government resolution has legal effect",
  );
  assert.ok(hasLegalEffect({ kind: "Luật", number: null, issuer: null }), "a law has legal effect");
});

test("status filter: a code or the Vietnamese label, folded", () => {
  assert.equal(statusOfFilter("in_force"), "in_force");
  assert.equal(statusOfFilter("Còn hiệu lực"), "in_force");
  assert.equal(statusOfFilter("het hieu luc mot phan"), "expired_partly");
  assert.equal(statusOfFilter("none"), "none");
  assert.equal(statusOfFilter("gì đó"), null);
});

test("relations: stored once, each side labels the other document", () => {
  // The 2019 Labour Code replaces the 2012 one: on the 2019 page, the 2012 code is "Văn bản bị thay thế".
  const r = { from_id: 2019, to_id: 2012, kind: "replaces" };
  assert.deepEqual(relationFrom(2019, r), { kind: "replaces", label: "Văn bản bị thay thế", otherId: 2012 });
  assert.deepEqual(relationFrom(2012, r), { kind: "replaced_by", label: "Văn bản thay thế", otherId: 2019 });
  const g = { from_id: 5, to_id: 6, kind: "guides" };
  assert.equal(relationFrom(6, g).label, "Văn bản hướng dẫn, quy định chi tiết");
  assert.equal(relationFrom(5, g).kind, "guides");
  assert.equal(relationFrom(6, g).kind, "guided_by");
  assert.deepEqual(storedRelation(1, 2, "amends"), { fromId: 1, toId: 2, kind: "amends" });
  assert.deepEqual(storedRelation(1, 2, "amends:passive"), { fromId: 2, toId: 1, kind: "amends" });
  assert.equal(storedRelation(1, 2, "hacks"), null);
  assert.equal(storedRelation(1, 2, "amends:sideways"), null);
  assert.ok(
    RELATION_CHOICES.every((c) => storedRelation(1, 2, c.value) !== null),
    "every choice of the editor is a stored relation",
  );
});

const cite = (c: Partial<Cited>): Cited => ({
  kind: "Quyết định",
  number: null,
  title: null,
  issuedOn: null,
  issuer: null,
  year: null,
  ...c,
});
const entry = (id: number, c: Partial<Cited>): EntryKey => ({ id, ...keyOfCited(cite(c)) });

test("matching: number, issuer and year; local numbers restart every year", () => {
  const qd2023 = entry(1, { number: "181/QĐ-UBND", issuer: "UBND phường Phổ Minh", issuedOn: "2023-12-29" });
  const same = cite({ number: "181/QĐ-UBND", issuer: "Ủy ban nhân dân phường Phổ Minh", issuedOn: "2023-12-29" });
  assert.deepEqual(findEntry(same, [qd2023]), { id: 1, uncertain: false }, "the same decision, issuer spelt out");
  const nextYear = cite({ number: "181/QĐ-UBND", issuer: "UBND phường Phổ Minh", issuedOn: "2024-12-20" });
  assert.equal(findEntry(nextYear, [qd2023]), null, "the same number a year later is another decision");
  const otherIssuer = cite({ number: "181/QĐ-UBND", issuer: "UBND tỉnh Quảng Ngãi", issuedOn: "2023-03-01" });
  assert.equal(findEntry(otherIssuer, [qd2023]), null, "another issuer's decision 181 is another document");
  const noIssuer = cite({ number: "181/QĐ-UBND", issuedOn: "2023-12-29" });
  assert.deepEqual(findEntry(noIssuer, [qd2023]), { id: 1, uncertain: true }, "issuer unknown: staff confirm");
  const noYear = cite({ number: "181/QĐ-UBND", issuer: "UBND phường Phổ Minh" });
  assert.deepEqual(findEntry(noYear, [qd2023]), { id: 1, uncertain: true }, "year unknown: staff confirm");
  const chair = cite({ number: "181/QĐ-UBND", issuer: "Chủ tịch UBND phường Phổ Minh", issuedOn: "2023-12-29" });
  assert.deepEqual(findEntry(chair, [qd2023]), { id: 1, uncertain: true }, "the chair for the committee: confirm");
});

test("matching: a number with its year is the document; laws by name and year", () => {
  const nd = entry(7, { kind: "Nghị định", number: "45/2020/NĐ-CP" });
  assert.equal(
    matchCited(
      keyOfCited(cite({ kind: "Nghị định", number: "45/2020/NĐ-CP", issuer: "Chính phủ", issuedOn: "2020-04-08" })),
      nd,
    ),
    "same",
  );
  assert.equal(matchCited(keyOfCited(cite({ kind: "Nghị định", number: "45 /2020/NĐ-CP" })), nd), "same");
  const law = entry(8, { kind: "Luật", title: "Luật An ninh mạng", year: 2018 });
  assert.deepEqual(findEntry(cite({ kind: "Luật", title: "Luật An ninh mạng", year: 2018 }), [law]), {
    id: 8,
    uncertain: false,
  });
  assert.equal(findEntry(cite({ kind: "Luật", title: "Luật Bảo vệ bí mật Nhà nước", year: 2018 }), [law]), null);
  assert.equal(
    findEntry(cite({ kind: "Luật", title: "Luật An ninh mạng", year: 2025 }), [law]),
    null,
    "a new law of the same name",
  );
});

test("document numbers named in running text: with or without a year, never a date or a code", () => {
  assert.deepEqual(
    documentNumbersIn(
      "Thực hiện Nghị định số 61/2018/NĐ-CP và Kế hoạch 18/KH-UBND ngày 19/02/2024; xem 45/2020/NĐ-CP, thủ tục 1.001193.",
    ),
    ["61/2018/NĐ-CP", "18/KH-UBND", "45/2020/NĐ-CP"],
  );
  assert.deepEqual(
    documentNumbersIn("ngày 19/02/2024, tỷ lệ 3/4, mã 2.000815"),
    [],
    "dates, fractions and codes are not documents",
  );
  assert.deepEqual(documentNumbersIn("(61/2018/NĐ-CP)."), ["61/2018/NĐ-CP"], "punctuation around it is not part of it");
});
