/**
 * The public id of a published answer: its address on the public site (`/gop-y/da-tra-loi/{id}`, `/hoi-dap/{id}`)
 * and in the search documents. Never the tracking code, which together with a phone number opens the citizen's own
 * record; never the row id, which counts the ward's items. Ten characters, starting with a letter (so it never
 * reads as a number or as a route word like "hoi"), drawn without modulo bias from lower-case letters and digits
 * without look-alikes: 31^10 ≈ 8·10^14, unguessable, and unique by a database index.
 */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const LETTERS = 23;
export const PUBLIC_ID_LENGTH = 10;
export const PUBLIC_ID_PATTERN = /^[a-hj-km-np-z][a-hj-km-np-z2-9]{9}$/;

/** A fresh public id. */
export function newPublicId(): string {
  const out: string[] = [];
  const buf = new Uint8Array(32);
  while (out.length < PUBLIC_ID_LENGTH) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      const range = out.length === 0 ? LETTERS : ALPHABET.length;
      // Reject the top of the byte range so every character is equally likely.
      if (out.length < PUBLIC_ID_LENGTH && b < 256 - (256 % range)) out.push(ALPHABET[b % range] as string);
    }
  }
  return out.join("");
}
