/**
 * What an answerable item (a feedback item, a question) makes public when it is published, checked the same way for
 * both: every text that becomes public — the public copy of the citizen's text AND the staff answer — goes through
 * the same redaction (src/core/text/redact.ts). The publish form is pre-filled with the masked texts and says what
 * was masked; publishing is refused while anything the redaction would mask is still there, unless staff keep that
 * occurrence (a false alarm: a street named after a person, a public official's office line) with a reason, which the
 * publish step's audit record carries.
 */
import { findPersonal, type KnownPersonal, MASKS, type PersonalKind, redact } from "../../core/text/redact.ts";
import type { FieldErrors } from "../../core/web/validation.ts";

/** One text that becomes public: its form field, how staff call it, and what it is made from. */
export interface PublicText {
  field: string;
  label: string;
  original: string;
}

/** One piece of personal data found in a public text. */
export interface Finding {
  field: string;
  kind: PersonalKind;
  text: string;
}

export const KIND_WORDS: Readonly<Record<PersonalKind, string>> = {
  name: "họ tên",
  address: "địa chỉ",
  phone: "số điện thoại",
  email: "thư điện tử",
  id: "số giấy tờ tùy thân",
};

/** How staff tick one occurrence to keep: the same string in the form and in the check. */
export const keepKey = (f: Pick<Finding, "kind" | "text">) => `${f.kind}:${f.text}`;

/** Every piece of personal data in `text` (the sender's own values and the patterns). */
export function findingsIn(field: string, text: string, known: KnownPersonal): Finding[] {
  return findPersonal(text, known).map((s) => ({ field, kind: s.kind, text: text.slice(s.start, s.end) }));
}

/** What the publish form offers: each text masked, and what the masking took out (for staff to check). */
export function suggestPublication(texts: readonly PublicText[], known: KnownPersonal) {
  return {
    texts: Object.fromEntries(texts.map((t) => [t.field, redact(t.original, known)])) as Record<string, string>,
    masked: texts.flatMap((t) => findingsIn(t.field, t.original, known)),
  };
}

export type PublicationCheck =
  | { ok: true; texts: Record<string, string>; kept: Finding[] }
  | { ok: false; errors: FieldErrors; remaining: Finding[] };

const KEEP_REASON_MIN = 10;

/**
 * Check the texts staff send for publication (`submitted[field]`; a field not sent: its automatic redaction). Every
 * finding must be kept explicitly (`keep` holds its `keepKey`) and, if any is kept, a reason given; otherwise the
 * step is refused, field by field, saying what is left.
 */
export function checkPublication(
  texts: readonly PublicText[],
  known: KnownPersonal,
  submitted: Readonly<Record<string, string | null | undefined>>,
  keep: { keys: readonly string[]; reason: string | null },
): PublicationCheck {
  const out: Record<string, string> = {};
  const errors: FieldErrors = {};
  const remaining: Finding[] = [];
  const kept: Finding[] = [];
  const keys = new Set(keep.keys);
  for (const t of texts) {
    const text = submitted[t.field] ?? redact(t.original, known);
    out[t.field] = text;
    const found = findingsIn(t.field, text, known);
    const left = found.filter((f) => !keys.has(keepKey(f)));
    kept.push(...found.filter((f) => keys.has(keepKey(f))));
    remaining.push(...left);
    if (left.length) {
      const kinds = [...new Set(left.map((f) => KIND_WORDS[f.kind]))].join(", ");
      errors[t.field] =
        `${t.label} còn ${kinds} (${left.map((f) => `“${f.text}”`).join(", ")}): hãy thay bằng ${MASKS.name}, ` +
        `${MASKS.phone}… hoặc, nếu đó không phải thông tin cá nhân, đánh dấu giữ lại và ghi lý do.`;
    }
  }
  const reason = keep.reason?.trim() ?? "";
  if (kept.length && [...reason].length < KEEP_REASON_MIN)
    errors.keepReason = `Ghi lý do giữ lại (ít nhất ${KEEP_REASON_MIN} ký tự): lý do được lưu vào nhật ký.`;
  if (Object.keys(errors).length) return { ok: false, errors, remaining };
  return { ok: true, texts: out, kept };
}

/** "2 số điện thoại, 1 họ tên": what the masking found, counted by kind. */
export function maskedSummary(findings: readonly Pick<Finding, "kind">[]): string {
  const counts = new Map<PersonalKind, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${KIND_WORDS[kind]}`).join(", ");
}
