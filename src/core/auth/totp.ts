/**
 * Time-based one-time passwords (RFC 6238) as phone authenticator apps expect them: SHA-1, 6 digits, 30-second steps,
 * made and checked by the maintained `otpauth` library. Pure: the caller stores the secret and the last step used.
 *
 * A code is accepted for the current step or one step either side (a phone clock a little off), and only for a step
 * later than the last one accepted for the account, so a code seen over a shoulder cannot be used again in its window.
 *
 * Recovery codes are 80 random bits each (16 characters of Crockford's base32, which reads look-alikes as one): high enough
 * entropy that one SHA-256 per code, salted with the account, keeps them out of reach of guessing from a leaked
 * database, and the hash can be looked up directly (a slow password hash would need trying every stored code).
 */
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted (clock drift). */
export const TOTP_WINDOW = 1;
/** Recovery codes made at enrolment (and at each regeneration). */
export const RECOVERY_CODE_COUNT = 10;

const totpOf = (secret: string, label = "", issuer = "") =>
  new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
  });

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as apps accept it typed. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The `otpauth://` URI an authenticator app scans (the account's name and the portal as issuer). */
export const totpUri = (secret: string, account: string, issuer: string): string =>
  totpOf(secret, account, issuer).toString();

/** The secret in groups of four, easier to type into an app by hand. */
export const groupedSecret = (secret: string): string => secret.replace(/(.{4})/g, "$1 ").trim();

/** The 30-second step an instant falls in. */
export const timeStep = (now: Date): number => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S);

/** The code for an instant (tests and the enrolment page's own checks use it). */
export const totpCode = (secret: string, now: Date): string => totpOf(secret).generate({ timestamp: now.getTime() });

/** A typed code without the spaces people add ("123 456"); null when it is not six digits. */
export function cleanTotpCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The step a typed code is accepted for, or null: wrong, outside the window (±1 step), or for a step not later than
 * `lastStep` (already used, or older than a code already used).
 */
export function acceptedStep(secret: string, typed: string, now: Date, lastStep: number | null): number | null {
  const code = cleanTotpCode(typed);
  if (!code) return null;
  const current = timeStep(now);
  // Each step of the window on its own, latest first, so a code valid for two steps takes the later unused one.
  for (const delta of [1, 0, -1].filter((d) => Math.abs(d) <= TOTP_WINDOW)) {
    const step = current + delta;
    if (lastStep != null && step <= lastStep) continue;
    const expected = totpOf(secret).generate({ timestamp: step * TOTP_PERIOD_S * 1000 });
    if (sameDigits(expected, code)) return step;
  }
  return null;
}

function sameDigits(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Crockford's base32: 32 symbols (5 bits each, no modulo bias); O is read as 0 and I, L as 1 when typed. */
const RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_LENGTH = 16;

/** New recovery codes, shown once: `ABCD-EFGH-JKMN-PQRS`. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(RECOVERY_LENGTH);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b & 31]).join("");
    return chars.replace(/(.{4})(?!$)/g, "$1-");
  });
}

/** A typed recovery code as stored: upper case, without spaces or dashes; null when it cannot be one. */
export function cleanRecoveryCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return code.length === RECOVERY_LENGTH && [...code].every((ch) => RECOVERY_ALPHABET.includes(ch)) ? code : null;
}

/** The stored form of a recovery code of an account (never the code itself). */
export function recoveryCodeHash(userId: number, typed: string): string | null {
  const code = cleanRecoveryCode(typed);
  return code ? createHash("sha256").update(`cchc-recovery|${userId}|${code}`).digest("hex") : null;
}
