/**
 * Pure pieces of the demo-data generator (demo-data.service.ts writes what they produce): a seeded PRNG, so the same
 * seed gives the same rows; collision-free tracking codes and public ids; dates within a year; synthetic people who
 * are clearly not real (no real personal data ever enters a demo deployment, and none of it reaches public text).
 */
import { RANDOM_LENGTH, TRACKING_ALPHABET, type TrackingPrefix } from "../../core/text/tracking-code.ts";

/** A 32-bit hash of a string (FNV-1a): the seed of one ward's, year's and table's stream. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export interface Rng {
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

export function rng(seed: number | string): Rng {
  let a = typeof seed === "number" ? seed >>> 0 : hash32(seed);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance: (p) => next() < p,
  };
}

/** The stream of one part of the dataset: independent of how many wards are generated or in which order. */
export const streamOf = (seed: number, ...parts: (string | number)[]) => rng(`${seed}|${parts.join("|")}`);

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const DAY_MS = 86_400_000;

/** ISO date of a day number (days since 1970-01-01, UTC). */
export const isoDay = (day: number) => {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** Add days to an ISO date. */
export const addDays = (iso: string, days: number) => isoDay(dayNumber(iso) + days);

/**
 * A random day of `year` on or before `lastDay` (ISO), from `firstDay` (default 1 January). Null when the year has
 * no such day (it starts after `lastDay`).
 */
export function dayIn(r: Rng, year: number, lastDay: string, firstDay = `${year}-01-01`): string | null {
  const from = dayNumber(firstDay);
  const to = Math.min(dayNumber(`${year}-12-31`), dayNumber(lastDay));
  if (to < from) return null;
  return isoDay(r.int(from, to));
}

/** An instant (ISO, UTC) on a Vietnam date at a local hour (Vietnam is UTC+7, no daylight saving). */
export const instantOn = (isoDate: string, hour: number, minute = 0) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + ((hour - 7) * 60 + minute) * 60_000).toISOString();

/** Codes per prefix and year the alphabet allows: 19^5. */
const CODE_SPACE = TRACKING_ALPHABET.length ** RANDOM_LENGTH;
/** A multiplier coprime to 19: `n ↦ n·A + B mod 19^5` is a bijection, so distinct slots never share a code. */
const CODE_MULTIPLIER = 7_919;

/** The weighted check character of core/text/tracking-code.ts (recomputed here: the generator is deterministic). */
function checkCharacter(prefix: string, year: string, random: string): string {
  const base = TRACKING_ALPHABET.length;
  let sum = 0;
  let weight = 1;
  for (const ch of prefix + year) sum += weight++ * (ch.charCodeAt(0) % base);
  for (const ch of random) sum += weight++ * TRACKING_ALPHABET.indexOf(ch);
  return TRACKING_ALPHABET[sum % base] as string;
}

/**
 * The tracking code of slot `slot` (0 ≤ slot < 19^5) of a prefix and year: a valid code (check character included),
 * distinct for distinct slots, scrambled by the seed so consecutive slots do not read as a sequence.
 */
export function demoTrackingCode(prefix: TrackingPrefix, year: number, slot: number, seed: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= CODE_SPACE) throw new RangeError(`slot out of range: ${slot}`);
  let n = (slot * CODE_MULTIPLIER + (hash32(`code|${seed}|${prefix}`) % CODE_SPACE)) % CODE_SPACE;
  let body = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    body = TRACKING_ALPHABET[n % TRACKING_ALPHABET.length] + body;
    n = Math.floor(n / TRACKING_ALPHABET.length);
  }
  const y = String(year);
  return `${prefix}-${y}-${body}${checkCharacter(prefix, y, body)}`;
}

/** Slots per ward and year for tracking codes: a ward's own items first, then its predecessors'. */
export const SLOTS_PER_WARD = 200;

const ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const ID_LETTERS = 23;

/** Public ids the shape allows: a letter, then nine of the alphabet (23 · 31^9 ≈ 6·10^14, below 2^53). */
const ID_SPACE = ID_LETTERS * ID_ALPHABET.length ** 9;
/** A prime dividing neither 23 nor 31, so `n ↦ n·A + B mod ID_SPACE` is a bijection. */
const ID_MULTIPLIER = 1_000_003;
/** Distinct numbers per prefix and year before the bijection: the tracking codes' slot space. */
const ID_PREFIXES = ["PA", "HD"] as const;

/**
 * The public id (answerable/public-id.ts shape) of the item in tracking-code slot `slot` of a prefix and year:
 * distinct for distinct (prefix, year, slot), so a national dataset never repeats one, and scrambled by the seed.
 * Not drawn from the ward's random stream: the streams of a seeded counter generator overlap once thousands of
 * wards each draw thousands of numbers, and two wards would then draw the same ids.
 */
export function demoPublicId(prefix: TrackingPrefix, year: number, slot: number, seed: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= CODE_SPACE) throw new RangeError(`slot out of range: ${slot}`);
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new RangeError(`year out of range: ${year}`);
  const kind = ID_PREFIXES.indexOf(prefix as (typeof ID_PREFIXES)[number]);
  if (kind < 0) throw new RangeError(`no public ids for ${prefix}`);
  const unique = ((year - 2000) * ID_PREFIXES.length + kind) * CODE_SPACE + slot;
  // unique < 2·10^9 and the multiplier ≈ 10^6: the product stays an exact integer (< 2^53).
  let n = (unique * ID_MULTIPLIER + (hash32(`public-id|${seed}`) % ID_SPACE)) % ID_SPACE;
  let out = ID_ALPHABET[n % ID_LETTERS] as string;
  n = Math.floor(n / ID_LETTERS);
  for (let i = 0; i < 9; i++) {
    out += ID_ALPHABET[n % ID_ALPHABET.length];
    n = Math.floor(n / ID_ALPHABET.length);
  }
  return out;
}

/**
 * A synthetic person: a name that says it is sample data, a phone of the unassigned "0000" range (never a
 * subscriber's number), no e-mail. Staff-only tables hold them; public text never does.
 */
export function fakePerson(n: number): { name: string; phone: string; address: string } {
  return {
    name: `Người dân mẫu ${pad(n % 100_000, 5)}`,
    phone: `0000${pad(n % 1_000_000, 6)}`,
    address: `Địa chỉ mẫu số ${(n % 500) + 1}`,
  };
}

/**
 * Adapt a text of the template plan to another issuing commune and year: the commune's name (with its type word,
 * "phường Phổ Minh" → "xã Ba Tơ") and the plan's year (and the year before it) shifted.
 */
export function adaptText(
  text: string,
  from: { shortName: string; typeWord: string; year: number },
  to: { shortName: string; typeWord: string; year: number },
): string {
  let out = text;
  if (from.shortName && from.shortName !== to.shortName) {
    const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
    out = out
      .replaceAll(`${from.typeWord} ${from.shortName}`, `${to.typeWord} ${to.shortName}`)
      .replaceAll(`${cap(from.typeWord)} ${from.shortName}`, `${cap(to.typeWord)} ${to.shortName}`)
      .replaceAll(
        `${from.typeWord.toUpperCase()} ${from.shortName.toUpperCase()}`,
        `${to.typeWord.toUpperCase()} ${to.shortName.toUpperCase()}`,
      )
      .replaceAll(from.shortName, to.shortName);
  }
  if (from.year !== to.year) {
    const shift = to.year - from.year;
    out = out.replace(/\b(19|20)\d{2}\b/g, (y) => {
      const n = Number(y);
      // Only the plan's own year and the one before move (its basis); older documents keep their years.
      return n === from.year || n === from.year - 1 ? String(n + shift) : y;
    });
  }
  return out;
}

/** The type word of a commune's name as written inside a sentence ("Phường Đức Phổ" → "phường"). */
export function typeWordOf(name: string, shortName: string): string {
  const prefix = name.endsWith(shortName) ? name.slice(0, name.length - shortName.length).trim() : "";
  return (prefix || "xã").toLowerCase();
}

/** What sample activities are called: a type of work and what it speaks of. */
export const ACTIVITY_TOPICS = [
  "Tuyên truyền thủ tục hành chính mới công bố",
  "Phổ biến dịch vụ công trực tuyến toàn trình",
  "Hướng dẫn nộp hồ sơ trên Cổng Dịch vụ công quốc gia",
  "Giới thiệu cơ chế một cửa, một cửa liên thông",
  "Tuyên truyền thanh toán trực tuyến phí, lệ phí",
  "Phổ biến quy tắc ứng xử của cán bộ, công chức",
  "Tuyên truyền chuyển đổi số trong cơ quan hành chính",
  "Giới thiệu ứng dụng định danh điện tử VNeID",
  "Lấy ý kiến về mức độ hài lòng của người dân",
  "Phổ biến kết quả cải cách hành chính của phường, xã",
] as const;

export const ACTIVITY_FORMS = [
  "Hội nghị",
  "Buổi sinh hoạt tổ dân phố",
  "Bài phát trên loa truyền thanh",
  "Tin đăng trang thông tin điện tử",
  "Buổi hướng dẫn tại Bộ phận một cửa",
  "Bài đăng nhóm Zalo khu dân cư",
] as const;

/** Sample feedback texts: about procedures and conduct, naming no one. */
export const FEEDBACK_TEXTS = [
  "Hồ sơ đăng ký khai sinh nộp trực tuyến đã quá hạn hẹn trả kết quả nhưng chưa được thông báo lý do.",
  "Đề nghị niêm yết rõ hơn mức lệ phí chứng thực bản sao tại Bộ phận một cửa.",
  "Thời gian chờ tại quầy tiếp nhận vào buổi sáng thứ Hai còn dài, đề nghị bố trí thêm người hướng dẫn.",
  "Biểu mẫu xác nhận tình trạng hôn nhân trên Cổng Dịch vụ công khó tải về trên điện thoại.",
  "Đề nghị hướng dẫn cụ thể giấy tờ cần nộp khi đăng ký thường trú cho con dưới 14 tuổi.",
  "Quy định yêu cầu nộp bản sao có chứng thực trong khi đã có dữ liệu dân cư là chưa phù hợp.",
  "Đề nghị mở thêm giờ tiếp nhận hồ sơ vào sáng thứ Bảy cho người lao động.",
  "Máy lấy số thứ tự tại Bộ phận một cửa thường xuyên bị hỏng.",
] as const;

export const ANSWER_TEXTS = [
  "Ủy ban nhân dân đã kiểm tra, chấn chỉnh việc thông báo và trả kết quả đúng hạn; hồ sơ đã được giải quyết.",
  "Ý kiến đã được tiếp thu; Bộ phận một cửa đã niêm yết đầy đủ mức phí, lệ phí theo quy định.",
  "Ủy ban nhân dân đã bố trí thêm công chức hướng dẫn vào các buổi đông người.",
  "Kiến nghị đã được tổng hợp, báo cáo cấp có thẩm quyền xem xét sửa đổi quy định.",
] as const;

export const QUESTION_TEXTS = [
  "Làm thủ tục đăng ký kết hôn trực tuyến cần chuẩn bị những giấy tờ gì?",
  "Lệ phí chứng thực chữ ký hiện nay là bao nhiêu?",
  "Cấp lại giấy khai sinh bị mất thì nộp hồ sơ ở đâu và mất bao lâu?",
  "Có thể nộp hồ sơ đăng ký thường trú qua ứng dụng VNeID không?",
  "Xác nhận tình trạng hôn nhân có giá trị sử dụng trong bao lâu?",
  "Người cao tuổi có được hỗ trợ nộp hồ sơ tại nhà không?",
] as const;

export const NEWS_TITLES = [
  "Đẩy mạnh thực hiện dịch vụ công trực tuyến toàn trình",
  "Kết quả cải cách hành chính quý vừa qua",
  "Mô hình “Tổ công nghệ số cộng đồng” hỗ trợ người dân",
  "Bộ phận một cửa tiếp nhận hồ sơ cả sáng thứ Bảy",
  "Hướng dẫn thanh toán lệ phí không dùng tiền mặt",
  "Tuyên truyền cải cách hành chính đến từng khu dân cư",
] as const;

export const EVENT_TITLES = [
  "Hội nghị tuyên truyền cải cách hành chính",
  "Sinh hoạt tổ dân phố lồng ghép phổ biến thủ tục hành chính",
  "Tập huấn sử dụng dịch vụ công trực tuyến",
  "Đối thoại với người dân về cải cách thủ tục hành chính",
] as const;

export const RADIO_ITEMS = [
  "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
  "Thông báo thời gian tiếp nhận hồ sơ tại Bộ phận một cửa",
  "Lợi ích của tài khoản định danh điện tử mức độ 2",
  "Kết quả khảo sát sự hài lòng của người dân",
] as const;

/** A workflow as steps: from, to, and working days after the step before. */
export type Chain = readonly (readonly [from: string, to: string, days: number])[];

/** The feedback workflow (feedback.workflow.service.ts): received → … → published. */
export const FEEDBACK_CHAIN: Chain = [
  ["received", "registered", 0],
  ["registered", "in_scope", 1],
  ["in_scope", "processing", 1],
  ["processing", "drafted", 5],
  ["drafted", "decided", 2],
  ["decided", "published", 1],
];

/** The questions workflow (questions.service.ts): received → routed → drafted → approved → published. */
export const QUESTION_CHAIN: Chain = [
  ["received", "routed", 1],
  ["routed", "drafted", 3],
  ["drafted", "approved", 1],
  ["approved", "published", 1],
];

/**
 * The steps an item received at `receivedAt` has taken by `today` (ISO, Vietnam): each on its day (a step never
 * lands after today), most items through to publication, a few stopped on the way. Status: the last step's target.
 */
export function answerChain(
  chain: Chain,
  receivedAt: string,
  r: Rng,
  today: string,
): { steps: { from: string; to: string; at: string }[]; status: string; at: string } {
  const stopAfter = r.chance(0.8) ? chain.length : r.int(0, chain.length - 1);
  const steps: { from: string; to: string; at: string }[] = [];
  let at = receivedAt;
  for (const [i, [from, to, days]] of chain.entries()) {
    if (i >= stopAfter) break;
    const next = new Date(Date.parse(at) + (days + r.int(0, 1)) * DAY_MS + r.int(10, 240) * 60_000).toISOString();
    const day = new Date(Date.parse(next) + 7 * 3_600_000).toISOString().slice(0, 10);
    if (day > today) break;
    steps.push({ from, to, at: next });
    at = next;
  }
  return { steps, status: steps.at(-1)?.to ?? (chain[0]?.[0] as string), at };
}
