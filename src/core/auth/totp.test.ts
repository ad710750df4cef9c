import assert from "node:assert/strict";
import { test } from "node:test";
import { Secret, TOTP, URI } from "otpauth";
import {
  acceptedStep,
  cleanRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
  timeStep,
  totpCode,
  totpUri,
} from "./totp.ts";

const NOW = new Date("2026-03-02T03:00:10Z");
const at = (steps: number) => new Date(NOW.getTime() + steps * 30_000);

test("codes are RFC 6238's: the RFC's SHA-1 test vector, and what an app made by otpauth shows", () => {
  // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s gives 94287082 (8 digits); 6 digits: 287082.
  const rfc = Secret.fromLatin1("12345678901234567890").base32;
  assert.equal(totpCode(rfc, new Date(59_000)), "287082", "the RFC's vector");
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/, "160 bits in base32");
  const app = URI.parse(totpUri(secret, "quantri1", "CCHC"));
  assert.ok(app instanceof TOTP, "a TOTP URI");
  assert.equal(app.generate({ timestamp: NOW.getTime() }), totpCode(secret, NOW), "the URI carries the same secret");
  assert.equal(app.digits, 6, "six digits");
  assert.equal(app.period, 30, "thirty seconds");
  assert.equal(app.algorithm, "SHA1", "SHA-1");
});

test("a code is accepted one step either side of now, not two", () => {
  const secret = newTotpSecret();
  const step = timeStep(NOW);
  assert.equal(acceptedStep(secret, totpCode(secret, NOW), NOW, null), step, "this step");
  assert.equal(acceptedStep(secret, totpCode(secret, at(-1)), NOW, null), step - 1, "a phone a step behind");
  assert.equal(acceptedStep(secret, totpCode(secret, at(1)), NOW, null), step + 1, "a phone a step ahead");
  assert.equal(acceptedStep(secret, totpCode(secret, at(-2)), NOW, null), null, "two steps old is refused");
  assert.equal(acceptedStep(secret, totpCode(secret, at(2)), NOW, null), null, "two steps ahead is refused");
});

test("a step already used (or older) is refused: no replay within the window", () => {
  const secret = newTotpSecret();
  const code = totpCode(secret, NOW);
  const step = acceptedStep(secret, code, NOW, null);
  assert.ok(step != null, "accepted once");
  assert.equal(acceptedStep(secret, code, NOW, step), null, "the same code again");
  assert.equal(acceptedStep(secret, code, at(1), step), null, "the same code in the next step's window");
  assert.equal(acceptedStep(secret, totpCode(secret, at(-1)), NOW, step), null, "an older code after a newer one");
  assert.equal(acceptedStep(secret, totpCode(secret, at(1)), at(1), step), step + 1, "the next step's code");
});

test("typed codes: spaces are forgiven, anything but six digits is refused", () => {
  const secret = newTotpSecret();
  const code = totpCode(secret, NOW);
  assert.ok(acceptedStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, NOW, null) != null, "123 456");
  assert.equal(acceptedStep(secret, `${code}0`, NOW, null), null, "seven digits");
  assert.equal(acceptedStep(secret, "abcdef", NOW, null), null, "letters");
  assert.equal(acceptedStep(secret, "", NOW, null), null, "empty");
});

test("recovery codes: distinct, 80 bits, forgiving to type, hashed per account", () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10, "ten codes");
  assert.equal(new Set(codes).size, 10, "all distinct");
  for (const c of codes) assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/, `format of ${c}`);
  const code = codes[0] as string;
  const typed = code.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l");
  assert.equal(recoveryCodeHash(7, typed), recoveryCodeHash(7, code), "lower case, spaces, o for 0 and l for 1");
  assert.notEqual(recoveryCodeHash(8, code), recoveryCodeHash(7, code), "another account's hash differs");
  assert.equal(cleanRecoveryCode("ABCD-EFGH"), null, "too short");
  assert.equal(recoveryCodeHash(7, "123456"), null, "a TOTP code is no recovery code");
});
