import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AdminUnit } from "../../core/db/schema.ts";
import { findPersonal } from "../../core/text/redact.ts";
import { normaliseTrackingCode } from "../../core/text/tracking-code.ts";
import { PUBLIC_ID_PATTERN } from "../answerable/public-id.ts";
import { normalisePhone } from "../feedback/feedback.schemas.ts";
import { ownerYears } from "./demo-data.service.ts";
import {
  ANSWER_TEXTS,
  adaptText,
  answerChain,
  dayIn,
  demoPublicId,
  demoTrackingCode,
  FEEDBACK_CHAIN,
  FEEDBACK_TEXTS,
  fakePerson,
  instantOn,
  NEWS_TITLES,
  QUESTION_TEXTS,
  rng,
  SLOTS_PER_WARD,
  streamOf,
  typeWordOf,
} from "./generate.ts";

describe("demo-data generators", () => {
  test("the same seed gives the same stream, another seed another", () => {
    const draw = (seed: number | string) => {
      const r = rng(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    assert.deepEqual(draw(42), draw(42), "same seed, same numbers");
    assert.notDeepEqual(draw(42), draw(43), "another seed, other numbers");
    assert.deepEqual(
      Array.from(
        { length: 5 },
        (() => {
          const r = streamOf(1, "21439", 2026);
          return () => r.int(1, 100);
        })(),
      ),
      Array.from(
        { length: 5 },
        (() => {
          const r = streamOf(1, "21439", 2026);
          return () => r.int(1, 100);
        })(),
      ),
      "a ward's stream depends only on the seed, the ward and the year",
    );
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 9);
      assert.ok(n >= 3 && n <= 9 && Number.isInteger(n), `int in range: ${n}`);
    }
  });

  test("tracking codes are valid, distinct per slot and scrambled by the seed", () => {
    const codes = new Set<string>();
    for (let slot = 0; slot < 5000; slot++) {
      const code = demoTrackingCode("PA", 2026, slot, 1);
      assert.equal(normaliseTrackingCode(code), code, `a valid code with its check character: ${code}`);
      codes.add(code);
    }
    assert.equal(codes.size, 5000, "no two slots share a code");
    assert.notEqual(demoTrackingCode("PA", 2026, 0, 1), demoTrackingCode("PA", 2026, 0, 2), "the seed changes codes");
    assert.match(demoTrackingCode("HD", 2024, 3321 * 200 - 1, 9), /^HD-2024-/);
    assert.throws(() => demoTrackingCode("PA", 2026, 19 ** 5, 1), RangeError);
  });

  test("public ids have the shape of real ones and never repeat across the country's wards, years and kinds", () => {
    const ids = new Set<string>();
    let made = 0;
    for (const prefix of ["PA", "HD"] as const)
      for (const year of [2024, 2025, 2026])
        for (let ward = 0; ward < 3321; ward++)
          for (let n = 0; n < 15; n++) {
            const id = demoPublicId(prefix, year, ward * SLOTS_PER_WARD + n, 1);
            if (made < 500) assert.match(id, PUBLIC_ID_PATTERN, `public id ${id}`);
            ids.add(id);
            made++;
          }
    assert.equal(ids.size, made, "no two items share a public id");
    assert.notEqual(demoPublicId("PA", 2026, 0, 1), demoPublicId("PA", 2026, 0, 2), "the seed changes ids");
    assert.throws(() => demoPublicId("PA", 2026, -1, 1), RangeError);
  });

  test("synthetic people are clearly fake, and no public sample text holds personal data", () => {
    const p = fakePerson(123_456);
    assert.match(p.name, /mẫu/, "the name says it is sample data");
    assert.equal(normalisePhone(p.phone), p.phone, "the phone passes the lookup form's check");
    assert.match(p.phone, /^0000\d{6}$/, "in the unassigned 0000 range");
    for (const text of [...FEEDBACK_TEXTS, ...ANSWER_TEXTS, ...QUESTION_TEXTS, ...NEWS_TITLES])
      assert.deepEqual(findPersonal(text), [], `no personal data in public text: ${text}`);
  });

  test("days stay within the year and on or before the last day", () => {
    const r = rng(5);
    for (let i = 0; i < 500; i++) {
      const d = dayIn(r, 2026, "2026-03-02");
      assert.ok(d && d >= "2026-01-01" && d <= "2026-03-02", `day ${d}`);
    }
    assert.equal(dayIn(r, 2027, "2026-03-02"), null, "a year after the last day has no day");
    assert.equal(instantOn("2026-03-02", 9), "2026-03-02T02:00:00.000Z", "09:00 in Vietnam is 02:00 UTC");
  });

  test("a workflow never runs past today, and each step starts where the one before ended", () => {
    const r = rng(11);
    let published = 0;
    for (let i = 0; i < 300; i++) {
      const chain = answerChain(FEEDBACK_CHAIN, "2026-02-01T02:00:00.000Z", r, "2026-03-02");
      let from = "received";
      for (const s of chain.steps) {
        assert.equal(s.from, from, "steps are contiguous");
        assert.ok(s.at.slice(0, 10) <= "2026-03-02", `step ${s.to} at ${s.at} is not after today`);
        from = s.to;
      }
      assert.equal(chain.status, from, "the status is the last step's");
      if (chain.status === "published") published++;
    }
    assert.ok(published > 50, `most items that had time are published (${published} of 300)`);
    const fresh = answerChain(FEEDBACK_CHAIN, "2026-03-02T08:00:00.000Z", rng(1), "2026-03-02");
    assert.ok(fresh.steps.length <= 1, "an item received today has at most been registered");
  });

  test("a plan's text moves to another commune and year; older documents keep their years", () => {
    const from = { shortName: "Phổ Minh", typeWord: "phường", year: 2024 };
    const to = { shortName: "Ba Tơ", typeWord: "xã", year: 2026 };
    assert.equal(
      adaptText("Kế hoạch năm 2024 của Phường Phổ Minh, căn cứ Quyết định 181 năm 2023 và Luật năm 2015", from, to),
      "Kế hoạch năm 2026 của Xã Ba Tơ, căn cứ Quyết định 181 năm 2025 và Luật năm 2015",
    );
    assert.equal(adaptText("UBND PHƯỜNG PHỔ MINH", from, to), "UBND XÃ BA TƠ");
    assert.equal(typeWordOf("Phường Đức Phổ", "Đức Phổ"), "phường");
    assert.equal(typeWordOf("Đặc khu Lý Sơn", "Lý Sơn"), "đặc khu");
  });

  test("a ward holds its own years from 2025 and its predecessors' before, with their history year", () => {
    const unit = (id: number, code: string) => ({ id, code }) as AdminUnit;
    const ward = unit(1, "21439");
    const preds = [unit(2, "21463"), unit(3, "21466")];
    const two = ownerYears(ward, preds, [2025, 2026]);
    assert.deepEqual(
      two.map((o) => [o.owner.code, o.year, o.share]),
      [
        ["21439", 2025, 1],
        ["21439", 2026, 1],
        ["21463", 2024, 0.125],
        ["21466", 2024, 0.125],
      ],
    );
    const three = ownerYears(ward, preds, [2024, 2025, 2026]);
    assert.deepEqual(
      three.filter((o) => o.year === 2024).map((o) => [o.owner.code, o.share]),
      [
        ["21463", 0.5],
        ["21466", 0.5],
      ],
      "a chosen year before the merger is wholly the predecessors'",
    );
    assert.deepEqual(
      ownerYears(ward, [], [2026]).map((o) => [o.owner.code, o.year]),
      [["21439", 2026]],
      "a ward without predecessors holds only its own years",
    );
  });
});
