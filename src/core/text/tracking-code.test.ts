import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  isValidTrackingCode,
  newTrackingCode,
  normaliseTrackingCode,
  RANDOM_LENGTH,
  TRACKING_ALPHABET,
  TRACKING_CODE_PATTERN,
} from "./tracking-code.ts";

/** A small deterministic generator, for reproducible codes in tests only. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("alphabet", () => {
  test("19 distinct characters, none of the look-alikes", () => {
    assert.equal(TRACKING_ALPHABET.length, 19);
    assert.equal(new Set(TRACKING_ALPHABET).size, 19);
    for (const ch of "0O1IL5S2Z8BUVFJWN") assert.ok(!TRACKING_ALPHABET.includes(ch), ch);
    assert.match(TRACKING_ALPHABET, /^[0-9A-Z]+$/);
  });
});

describe("newTrackingCode", () => {
  test("format PREFIX-YEAR-5 random + 1 check character", () => {
    for (const prefix of ["PA", "HD"] as const) {
      const code = newTrackingCode(prefix, 2026);
      assert.match(code, TRACKING_CODE_PATTERN);
      assert.ok(code.startsWith(`${prefix}-2026-`), "expected: code.startsWith(`{prefix}-2026-`)");
      assert.equal(code.length, 2 + 1 + 4 + 1 + RANDOM_LENGTH + 1);
      assert.ok(isValidTrackingCode(code), code);
    }
  });
  test("an injected random source gives reproducible codes", () => {
    assert.equal(newTrackingCode("PA", 2026, seeded(7)), newTrackingCode("PA", 2026, seeded(7)));
    assert.ok(
      newTrackingCode("HD", 2025, () => 0).startsWith("HD-2025-33333"),
      'expected: newTrackingCode("HD", 2025, () => 0).startsWith("HD-2025-33333")',
    );
    assert.ok(
      newTrackingCode("HD", 2025, () => 0.999999).startsWith("HD-2025-YYYYY"),
      'expected: newTrackingCode("HD", 2025, () => 0.999999).startsWith("HD-2025-YYYYY")',
    );
  });
  test("rejects bad input", () => {
    assert.throws(() => newTrackingCode("XX" as "PA", 2026), RangeError);
    assert.throws(() => newTrackingCode("PA", 26), RangeError);
    assert.throws(() => newTrackingCode("PA", 2026.5), RangeError);
    assert.throws(() => newTrackingCode("PA", 2026, () => 1), RangeError);
    assert.throws(() => newTrackingCode("PA", 2026, () => Number.NaN), RangeError);
  });
  test("100,000 secure draws: duplicates within the birthday bound, characters uniform", () => {
    const n = 100_000;
    const space = 19 ** RANDOM_LENGTH; // 2,476,099
    // Expected number of draws that repeat an earlier code: n − N·(1 − (1 − 1/N)^n) ≈ n²/2N ≈ 1,992.
    const expected = n - space * (1 - (1 - 1 / space) ** n);
    assert.ok(expected > 1_900 && expected < 2_100, String(expected));
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const code = newTrackingCode("PA", 2026);
      const random = code.slice(8, 8 + RANDOM_LENGTH);
      seen.add(random);
      for (const ch of random) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    const duplicates = n - seen.size;
    // Standard deviation ≈ √expected ≈ 45: ±25 % is about ±11σ, so this never fails by chance, yet catches a
    // generator with a much smaller effective space (more duplicates) or a non-random counter (none at all).
    assert.ok(duplicates < expected * 1.25, `${duplicates} duplicates, expected ≈ ${expected.toFixed(0)}`);
    assert.ok(duplicates > expected * 0.75, `${duplicates} duplicates, expected ≈ ${expected.toFixed(0)}`);
    // Chi-square over the 19 characters (18 degrees of freedom): 60 is far beyond the 0.999 quantile (≈ 42.3).
    const total = n * RANDOM_LENGTH;
    let chi2 = 0;
    for (const ch of TRACKING_ALPHABET) chi2 += ((counts.get(ch) ?? 0) - total / 19) ** 2 / (total / 19);
    assert.equal(counts.size, 19);
    assert.ok(chi2 < 60, `chi-square ${chi2.toFixed(1)}`);
  });
});

describe("normaliseTrackingCode", () => {
  const codes = Array.from({ length: 200 }, (_, i) => newTrackingCode(i % 2 ? "PA" : "HD", 2025 + (i % 3)));

  test("canonical codes round-trip", () => {
    for (const c of codes) assert.equal(normaliseTrackingCode(c), c);
  });
  test("accepts lower case, spaces, missing or odd dashes", () => {
    for (const c of codes) {
      const lower = c.toLowerCase();
      assert.equal(normaliseTrackingCode(lower), c);
      assert.equal(normaliseTrackingCode(c.replace(/-/g, "")), c);
      assert.equal(normaliseTrackingCode(`  ${lower.replace(/-/g, " ")} `), c);
      assert.equal(normaliseTrackingCode(c.replace(/-/g, " – ")), c);
      assert.equal(normaliseTrackingCode(`${c.slice(0, 2)}.${c.slice(3, 7)}/${c.slice(8, 11)} ${c.slice(11)}`), c);
    }
  });
  test("maps confusions to the one character they stand for", () => {
    const code = `PA-2026-GMDKE${normaliseCheck("PA-2026-GMDKE")}`;
    assert.ok(isValidTrackingCode(code), code);
    assert.equal(normaliseTrackingCode(code.replace("G", "J")), code); // "gi" heard for "giê"
    assert.equal(normaliseTrackingCode(code.replace("M", "n")), code); // "en-nờ" heard for "em-mờ"
    assert.equal(normaliseTrackingCode(code.replace("D", "đ")), code); // Vietnamese keyboard
    assert.equal(normaliseTrackingCode(`hđ${code.slice(2)}`), null); // read as HD, so the PA check fails
    assert.equal(normaliseTrackingCode(code.replace("2026", "2O26")), code); // O typed for 0 in the year
    assert.equal(normaliseTrackingCode(code.replace("2026", "zoz6")), code);
    assert.equal(normaliseTrackingCode(code.replace("E", "ê")), code); // diacritics stripped
  });
  test("accepts HĐ for HD and diacritics", () => {
    const hd = codes.find((c) => c.startsWith("HD-")) as string;
    assert.equal(normaliseTrackingCode(`HĐ${hd.slice(2)}`), hd);
    assert.equal(normaliseTrackingCode(`hđ ${hd.slice(3).toLowerCase()}`), hd);
  });
  test("detects every single mistyped character and adjacent swaps in the random part", () => {
    for (const c of codes.slice(0, 40)) {
      for (let i = 8; i < c.length; i++) {
        for (const ch of TRACKING_ALPHABET) {
          if (ch === c[i]) continue;
          assert.equal(normaliseTrackingCode(c.slice(0, i) + ch + c.slice(i + 1)), null, `${c} @${i}→${ch}`);
        }
      }
      for (let i = 8; i < 8 + RANDOM_LENGTH - 1; i++) {
        if (c[i] === c[i + 1]) continue;
        const swapped = c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2);
        assert.equal(normaliseTrackingCode(swapped), null, swapped);
      }
      for (let d = 0; d <= 9; d++) {
        const year = `${c.slice(3, 6)}${d}`;
        if (year === c.slice(3, 7)) continue;
        assert.equal(normaliseTrackingCode(c.replace(c.slice(3, 7), year)), null, year);
      }
      const other = c.startsWith("PA") ? `HD${c.slice(2)}` : `PA${c.slice(2)}`;
      assert.equal(normaliseTrackingCode(other), null, other);
    }
  });
  test("rejects junk", () => {
    const junk = [
      "",
      "   ",
      "PA",
      "PA-2026",
      "PA-2026-",
      "XX-2026-7KQ9XM",
      "PA-26-7KQ9XM",
      "PA-2026-7KQ9X", // no check character
      "PA-2026-7KQ9XMM",
      "PA-2026-0KQ9XM", // 0 is in no code
      "PA-2026-1KQ9XM",
      "PA-2026-SKQ9XM",
      "PA-2026-UKQ9XM",
      "PA-2026-7KQ9X!",
      "PA-20Q6-7KQ9XM",
      "'; DROP TABLE feedback; --",
      "PA-2026-7KQ9XM".repeat(10),
    ];
    for (const j of junk) assert.equal(normaliseTrackingCode(j), null, j);
    assert.equal(normaliseTrackingCode(undefined as unknown as string), null);
    assert.equal(isValidTrackingCode("pa-2026-7kq9xm"), false);
  });
});

/** The check character for a 5-character body, found by trying the 19 candidates. */
function normaliseCheck(prefixYearBody: string): string {
  for (const ch of TRACKING_ALPHABET) if (normaliseTrackingCode(prefixYearBody + ch)) return ch;
  throw new Error("no check character");
}
