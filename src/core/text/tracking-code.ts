/**
 * Tracking codes given to a citizen for a feedback (PA, phản ánh – kiến nghị) or a file (HD, hồ sơ), e.g.
 * `PA-2026-7KQ9XM`: prefix, year, 5 random characters and 1 check character.
 *
 * Alphabet (19 characters, a prime, see the check below): `34679ACDEGHKMPQRTXY`. Left out:
 * - look-alikes on screen/paper or aloud: 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V (both members of each pair, so a
 *   misread can never land on another valid character);
 * - F, J, W: not letters of the Vietnamese alphabet, awkward to spell aloud ("gi" for J is heard as G "giê");
 * - N: "en-nờ" is heard as M "em-mờ" over the phone.
 *
 * The random characters are drawn with `crypto.getRandomValues` (rejection sampling, no modulo bias), so codes are
 * not guessable from one another. The space is 19^5 = 2,476,099 codes per prefix and year: the caller must still
 * check uniqueness on insert and retry, and the public lookup must be rate-limited.
 *
 * Check character: weighted sum mod 19 over prefix, year and the 5 random characters (weights 1, 2, 3, …). Because
 * 19 is prime and the weights are distinct and non-zero mod 19, any single mistyped character and any swap of two
 * adjacent different characters in the random part is detected, so a typo does not open someone else's record.
 */

export type TrackingPrefix = "PA" | "HD";

export const TRACKING_ALPHABET = "34679ACDEGHKMPQRTXY";
const BASE = TRACKING_ALPHABET.length; // 19
export const RANDOM_LENGTH = 5;

/** Canonical form: `PA-2026-7KQ9XM`. */
export const TRACKING_CODE_PATTERN = new RegExp(`^(PA|HD)-(\\d{4})-([${TRACKING_ALPHABET}]{${RANDOM_LENGTH + 1}})$`);

/**
 * What a citizen may type for a character outside the alphabet, mapped to the one character in the alphabet it
 * stands for. Pairs whose both members are left out (0/O, 1/I/L, …) have no such character: they are rejected.
 */
const BODY_CONFUSIONS: Record<string, string> = {
  J: "G", // "gi" / "giê" aloud
  N: "M", // "en-nờ" / "em-mờ" aloud
};

/** In the year (digits only), letters typed for digits. */
const YEAR_CONFUSIONS: Record<string, string> = { O: "0", I: "1", L: "1", Z: "2", S: "5", B: "8" };

function checkCharacter(prefix: string, year: string, random: string): string {
  let sum = 0;
  let weight = 1;
  for (const ch of prefix + year) sum += weight++ * (ch.charCodeAt(0) % BASE);
  for (const ch of random) sum += weight++ * TRACKING_ALPHABET.indexOf(ch);
  return TRACKING_ALPHABET[sum % BASE] as string;
}

function secureIndex(): number {
  // 247 = 13 × 19: bytes 247–255 are rejected so every index is equally likely.
  const limit = 256 - (256 % BASE);
  const buf = new Uint8Array(16);
  for (;;) {
    crypto.getRandomValues(buf);
    for (const b of buf) if (b < limit) return b % BASE;
  }
}

/**
 * A new code. `random` (returning numbers in [0, 1), like Math.random) is for tests only; production uses
 * `crypto.getRandomValues`.
 */
export function newTrackingCode(prefix: TrackingPrefix, year: number, random?: () => number): string {
  if (prefix !== "PA" && prefix !== "HD") throw new RangeError(`Unknown tracking prefix: ${String(prefix)}`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Year must have 4 digits: ${year}`);
  let body = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    let index: number;
    if (random) {
      const r = random();
      if (!(r >= 0 && r < 1)) throw new RangeError(`random() must return a number in [0, 1): ${r}`);
      index = Math.floor(r * BASE);
    } else {
      index = secureIndex();
    }
    body += TRACKING_ALPHABET[index];
  }
  const y = String(year);
  return `${prefix}-${y}-${body}${checkCharacter(prefix, y, body)}`;
}

/**
 * The canonical code for what a citizen typed, or null. Accepts lower case, spaces, dots, missing or extra dashes,
 * Vietnamese diacritics (ê → E, đ → D, also in HĐ), letters typed for digits in the year (O → 0, I/L → 1, …) and, in the code
 * part, the confusions listed in BODY_CONFUSIONS. Anything else outside the alphabet, or a wrong check character,
 * gives null.
 */
export function normaliseTrackingCode(input: string): string | null {
  if (typeof input !== "string" || input.length > 64) return null;
  const flat = input
    .trim()
    .toUpperCase()
    .replace(/Đ/g, "D") // Vietnamese keyboard: đ for d (Đ has no decomposition, so map it first)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\s\-‐‑–—_.·/]+/g, "");
  const m = /^(PA|HD)([0-9A-Z]{4})([0-9A-Z]{6})$/.exec(flat);
  if (!m) return null;
  const prefix = m[1] as string;
  let year = "";
  for (const ch of m[2] as string) {
    const d = /\d/.test(ch) ? ch : YEAR_CONFUSIONS[ch];
    if (d === undefined) return null;
    year += d;
  }
  let body = "";
  for (const ch of m[3] as string) {
    const c = TRACKING_ALPHABET.includes(ch) ? ch : BODY_CONFUSIONS[ch];
    if (c === undefined) return null;
    body += c;
  }
  const random = body.slice(0, RANDOM_LENGTH);
  if (checkCharacter(prefix, year, random) !== body.slice(RANDOM_LENGTH)) return null;
  return `${prefix}-${year}-${body}`;
}

/** True when `code` is already canonical and its check character is right. */
export function isValidTrackingCode(code: string): boolean {
  return TRACKING_CODE_PATTERN.test(code) && normaliseTrackingCode(code) === code;
}
