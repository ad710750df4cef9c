/**
 * Matching a unit as a plan names it ("Ngành Văn hóa - xã hội", "Công chức Tài chính - kế toán") with the ward's
 * units and their aliases. Pure.
 */
import { foldWords, squash } from "../../core/text/vi.ts";

export interface MatchableUnit {
  id: string | number;
  name: string;
  aliases: string[];
}

export interface DefaultWardUnit {
  /** Stable English code. */
  code: string;
  name: string;
  aliases: string[];
}

/** The units every ward or commune has, as plans name them. */
export const DEFAULT_WARD_UNITS: readonly DefaultWardUnit[] = [
  {
    code: "office",
    name: "Văn phòng – Thống kê",
    aliases: ["Văn phòng UBND", "Văn phòng HĐND và UBND", "VP-TK", "Văn phòng"],
  },
  {
    code: "culture_social",
    name: "Văn hóa – Xã hội",
    aliases: ["Văn hóa - Thông tin", "VH-XH", "Văn hóa"],
  },
  {
    code: "justice",
    name: "Tư pháp – Hộ tịch",
    aliases: ["Tư pháp", "TP-HT"],
  },
  {
    code: "radio",
    name: "Đài truyền thanh",
    aliases: ["Đài phát thanh", "Đài truyền thanh cơ sở", "Đài Truyền thanh - Truyền hình"],
  },
  {
    code: "finance",
    name: "Tài chính – Kế toán",
    aliases: ["Tài chính", "Kế toán", "TC-KT"],
  },
  {
    code: "front",
    name: "Ủy ban MTTQ và các đoàn thể",
    aliases: [
      "Ủy ban Mặt trận Tổ quốc",
      "Ủy ban Mặt trận Tổ quốc Việt Nam",
      "Mặt trận Tổ quốc",
      "UBMTTQVN",
      "UBMTTQ",
      "MTTQVN",
      "MTTQ",
      "Mặt trận, các đoàn thể",
      "Mặt trận và các đoàn thể",
      "Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội",
      "Các đoàn thể",
      "Các tổ chức chính trị - xã hội",
    ],
  },
  {
    code: "residential_group",
    name: "Tổ dân phố",
    aliases: ["Ban điều hành tổ dân phố", "Tổ trưởng tổ dân phố", "Khu phố", "Thôn"],
  },
];

/** Words that say what kind of thing a heading names rather than which unit ("Ngành …", "Đề nghị …"). */
const FILLERS: RegExp[] = [
  /\bde nghi\b/g,
  /\bnganh\b/g,
  /\bcong chuc\b/g,
  /\bbo phan\b/g,
  /\b(?:va )?(?:ubnd|uy ban nhan dan) (?:phuong|xa|thi tran)\b/g,
];
const TRAILING_TYPE = / (?:phuong|xa|thi tran)$/;

/**
 * A unit name reduced for comparison: folded words (dashes and punctuation gone), without filler words, a leading
 * "các", the unit type at the end ("Đài truyền thanh phường") or a lone "UBND" that qualifies it.
 */
export function unitKey(text: string): string {
  let key = foldWords(text.replace(/[–—]/g, "-"));
  for (const re of FILLERS) key = key.replace(re, " ");
  key = squash(key).replace(/^cac /, "").replace(TRAILING_TYPE, "");
  const withoutCommittee = squash(key.replace(/\b(?:va )?(?:ubnd|uy ban nhan dan)\b/g, " "));
  return withoutCommittee === "" ? key : withoutCommittee;
}

const HIGHER_LEVEL = /\b(?:huyen|tinh|thi xa|thanh pho|quan)\b/;

/** Specific enough to be found inside a longer heading: two words or more, or one long acronym ("ubmttqvn"). */
function containable(key: string): boolean {
  return key.includes(" ") || key.length >= 4;
}

function contains(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

/**
 * The unit a heading names: the same key as a unit's name or an alias first; else the longest name or alias found
 * whole-word inside the heading (or the heading inside it), and only when no other unit matches as well.
 */
export function matchUnit(
  heading: string,
  units: MatchableUnit[],
): { unitId: string | number; via: "name" | "alias" } | null {
  const key = unitKey(heading);
  if (key === "") return null;
  const candidates = units.flatMap((u) => [
    { unit: u, via: "name" as const, key: unitKey(u.name) },
    ...u.aliases.map((a) => ({ unit: u, via: "alias" as const, key: unitKey(a) })),
  ]);
  const exact = candidates.find((c) => c.key === key);
  if (exact) return { unitId: exact.unit.id, via: exact.via };
  // "Phòng Văn hóa - Thông tin thị xã" is the district's office, not the ward's unit of a similar name.
  if (HIGHER_LEVEL.test(foldWords(heading))) return null;

  const scored = candidates
    .filter((c) => c.key !== "" && containable(c.key) && (contains(key, c.key) || contains(c.key, key)))
    .map((c) => ({ ...c, score: Math.min(c.key.length, key.length) }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return null;
  // Two different units matching equally well: refuse to guess.
  const rival = scored.find((c) => c.unit.id !== best.unit.id && c.score === best.score);
  if (rival) return null;
  // The heading inside a longer name needs two words at least ("văn hóa" alone could be several units).
  if (!contains(key, best.key) && !key.includes(" ")) return null;
  return { unitId: best.unit.id, via: best.via };
}

/**
 * Bodies a ward only requests, never directs: the Fatherland Front and the socio-political organisations (Hội Phụ
 * nữ, Đoàn Thanh niên, Hội Nông dân, Hội Cựu chiến binh, Liên đoàn lao động / Công đoàn, …).
 */
const PARTNER =
  /\b(?:mat tran|mttq\w*|ubmttq\w*|doan the|hoi phu nu|hoi lien hiep phu nu|lhpn|doan thanh nien|doan tn|hoi nong dan|hoi cuu chien binh|hoi ccb|lien doan lao dong|cong doan|hoi nguoi cao tuoi|hoi chu thap do|to chuc chinh tri xa hoi)\b/;

export type UnitKind = "own" | "partner";

/** "partner" for the Front and the unions (the ward requests their help), "own" for the ward's subordinate units. */
export function unitKindOf(name: string, code: string | null = null): UnitKind {
  return code === "front" || PARTNER.test(foldWords(name.replace(/[–—-]/g, " "))) ? "partner" : "own";
}
