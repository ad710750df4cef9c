/**
 * The model of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): what a report, a plan or
 * minutes say, without how they look. One renderer (docx-writer.ts) lays every such document out, so a layout rule
 * is fixed once for all of them. Pure data and pure helpers here.
 */
import { nfc } from "../text/vi.ts";

export type Block =
  /** A numbered section heading: level 1 "I. KẾT QUẢ…" (bold), level 2 "1. …" (bold), level 3 "a) …" (italic). */
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  /** A body paragraph: justified, first line indented. */
  | { kind: "paragraph"; text: string }
  /** A "- …" item of a list inside the body. */
  | { kind: "bullet"; text: string }
  /** A table of figures: a header row and body rows; numbers right-aligned. */
  | { kind: "table"; caption?: string; header: string[]; rows: (string | number)[][] };

export interface Signature {
  /** "TM. ỦY BAN NHÂN DÂN" (on behalf of a collective body), or null. */
  authority: string | null;
  /** "KT. CHỦ TỊCH", "Q. CHỦ TỊCH", "TL. CHỦ TỊCH" (signing for the head), or null. */
  onBehalfOf: string | null;
  /** The signer's position: "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "KT. GIÁM ĐỐC" is split as onBehalfOf + "PHÓ GIÁM ĐỐC". */
  position: string;
  /** The signer's name, without titles; null while the document is a draft. */
  name: string | null;
}

export interface AdminDocument {
  /** The superior body, upper case, regular (e.g. "UBND TỈNH QUẢNG NGÃI" over "SỞ NỘI VỤ"); null for a ward's UBND. */
  superior: string | null;
  /** The issuing body, upper case, bold, one line per entry: ["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐỨC PHỔ"]. */
  issuer: string[];
  /** The register number (1, 2, …) or null while not issued ("Số:      /BC-UBND"). */
  number: number | null;
  /** The symbol after the number: "BC-UBND", "KH-UBND". */
  symbol: string;
  /** The place name of the date line: the unit where the body sits ("Đức Phổ"). */
  place: string;
  /** ISO date of the document, or null while a draft (the day and month are left to fill in). */
  date: string | null;
  /** The year a draft will be dated in (used only while `date` is null). */
  year: number;
  /** The type in upper case: "BÁO CÁO", "KẾ HOẠCH". */
  type: string;
  /** The summary line (trích yếu). */
  title: string;
  /** "Kính gửi:" recipients (reports upward); empty for none. */
  addressees: string[];
  /** Legal bases ("Căn cứ …"), italic, each ending ";" and the last "." (added when missing). */
  basis: string[];
  body: Block[];
  signature: Signature;
  /** A second signer on the left, level with `signature` (minutes: "THƯ KÝ" beside "CHỦ TRÌ"); "Nơi nhận:" below. */
  countersignature?: Signature;
  /** False: no place and date line under the motto (minutes, Mẫu 1.9 of Phụ lục III, give their time in the body). */
  dated?: boolean;
  /** "Nơi nhận:" list; "Lưu: VT." is added last when missing. */
  distribution: string[];
}

/**
 * The date line: "Đức Phổ, ngày 05 tháng 01 năm 2025" — day below 10 and months 1 and 2 written with a leading zero
 * (Phụ lục I, ô 4); an undated draft leaves the day and month blank.
 */
export function dateLine(place: string, isoDate: string | null, draftYear: number): string {
  if (!isoDate) return `${place}, ngày      tháng      năm ${draftYear}`;
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const day = String(d).padStart(2, "0");
  const month = m <= 2 ? String(m).padStart(2, "0") : String(m);
  return `${place}, ngày ${day} tháng ${month} năm ${y}`;
}

/** "Số: 05/BC-UBND" — numbers below 10 with a leading zero; a draft leaves room for the register's number. */
export function numberLine(number: number | null, symbol: string): string {
  if (number == null) return `Số:        /${symbol}`;
  return `Số: ${String(number).padStart(2, "0")}/${symbol}`;
}

/** The legal bases, each ending ";" and the last "." (Phụ lục I: căn cứ). */
export function punctuatedBasis(basis: readonly string[]): string[] {
  return basis.map((b, i) => {
    const t = b.trim().replace(/[;.,]+$/, "");
    return `${t}${i === basis.length - 1 ? "." : ";"}`;
  });
}

/** The distribution list as printed: "- X;" lines, the archive "- Lưu: VT." last (added when absent). */
export function distributionLines(list: readonly string[]): string[] {
  const items = list
    .map((s) =>
      s
        .trim()
        .replace(/^[-–•]\s*/, "")
        .replace(/[;.]+$/, ""),
    )
    .filter(Boolean);
  if (!items.some((s) => /^Lưu\b/i.test(s))) items.push("Lưu: VT");
  return items.map((s, i) => `- ${s}${i === items.length - 1 ? "." : ";"}`);
}

/** The signature block's lines, top to bottom, bold upper case: authority, on-behalf line, position. */
export function signatureLines(s: Signature): string[] {
  return [s.authority, s.onBehalfOf, s.position].filter((x): x is string => !!x && x.trim() !== "");
}

/** Staff text as blocks: one paragraph per line, "- " lines as list items. */
export function textBlocks(text: string): Block[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) =>
      /^[-–•]\s*/.test(l) ? { kind: "bullet", text: l.replace(/^[-–•]\s*/, "") } : { kind: "paragraph", text: l },
    );
}

/** Every text of the document in NFC (the renderer writes what it is given; Vietnamese must not arrive decomposed). */
export function normalized(doc: AdminDocument): AdminDocument {
  const signer = (s: Signature): Signature => ({
    authority: s.authority == null ? null : nfc(s.authority),
    onBehalfOf: s.onBehalfOf == null ? null : nfc(s.onBehalfOf),
    position: nfc(s.position),
    name: s.name == null ? null : nfc(s.name),
  });
  const block = (b: Block): Block =>
    b.kind === "table"
      ? {
          ...b,
          caption: b.caption == null ? undefined : nfc(b.caption),
          header: b.header.map(nfc),
          rows: b.rows.map((r) => r.map((c) => (typeof c === "string" ? nfc(c) : c))),
        }
      : { ...b, text: nfc(b.text) };
  return {
    ...doc,
    superior: doc.superior == null ? null : nfc(doc.superior),
    issuer: doc.issuer.map(nfc),
    symbol: nfc(doc.symbol),
    place: nfc(doc.place),
    type: nfc(doc.type),
    title: nfc(doc.title),
    addressees: doc.addressees.map(nfc),
    basis: doc.basis.map(nfc),
    body: doc.body.map(block),
    signature: signer(doc.signature),
    ...(doc.countersignature ? { countersignature: signer(doc.countersignature) } : {}),
    distribution: doc.distribution.map(nfc),
  };
}
