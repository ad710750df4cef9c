/** Passwords: argon2id hashes, and a policy in line with ASVS (length over complexity, common passwords refused). */
import { hash, verify } from "@node-rs/argon2";

// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot import); parameters per OWASP.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Common and breached passwords seen in Vietnam, refused outright (folded, lower case). */
const COMMON = new Set([
  "12345678",
  "123456789",
  "1234567890",
  "password",
  "password1",
  "matkhau",
  "matkhau123",
  "matkhau@123",
  "admin123",
  "admin@123",
  "administrator",
  "qwerty123",
  "11111111",
  "00000000",
  "88888888",
  "66668888",
  "iloveyou",
  "abc12345",
  "abcd1234",
  "123456789a",
  "a123456789",
  "12345678a",
  "vietnam123",
  "quantri123",
]);

/** Why a password is refused, in Vietnamese, or null when it is acceptable. */
export function passwordProblem(password: string, username = ""): string | null {
  if (password.length < 8) return "Mật khẩu phải có ít nhất 8 ký tự.";
  if (password.length > 128) return "Mật khẩu dài tối đa 128 ký tự.";
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.";
  if (username && lower.includes(username.toLowerCase())) return "Mật khẩu không được chứa tên đăng nhập.";
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A readable random password (no look-alike characters) for first accounts. */
export function randomPassword(length = 16): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
