/**
 * Abbreviations and everyday words citizens type, mapped to the catalogue's wording. Editable data: a ward may add to
 * or replace this list (the index takes any `SynonymTable`). `from` is matched on folded words, so "so do", "sổ đỏ"
 * and "SỔ ĐỎ" are alike; longer `from` entries win over shorter ones at the same place; the words as typed are always
 * searched too, and rank first when they match as well (default weight 0.9). Everyday words the catalogue never uses
 * in that sense ("sổ đỏ", "hộ khẩu", "công chứng") weigh 0.98: an expansion matching a short title then beats a long
 * title that happens to hold the words. An empty `to` marks a filler word the query may do without.
 *
 * The site reads its table from the database (`search_synonyms`, edited by staff at /quan-tri/tu-dong-nghia):
 * migration 006 seeded it with its own copy of this list; test/search-quality.test.ts measures this list against
 * src/features/procedures/search-quality.json. Entries are abbreviations or words citizens really use, never a fix
 * for one query.
 */

import everyday from "../db/migrations/20261207-037-everyday-lexicon.json" with { type: "json" };
import everydayMore from "../db/migrations/20261207-041-everyday-lexicon-more.json" with { type: "json" };
import everydayThird from "../db/migrations/20261207-047-lexicon-and-audience.json" with { type: "json" };
import everydayConcepts from "../db/migrations/20261207-048-everyday-concepts.json" with { type: "json" };
import everydayFifth from "../db/migrations/20261207-053-everyday-lexicon-five.json" with { type: "json" };
import everydaySixth from "../db/migrations/20261207-054-everyday-lexicon-six.json" with { type: "json" };
import everydaySeventh from "../db/migrations/20261207-055-everyday-lexicon-seven.json" with { type: "json" };
import everydayEighth from "../db/migrations/20261207-056-everyday-lexicon-eight.json" with { type: "json" };
import everydayNinth from "../db/migrations/20261207-057-everyday-lexicon-nine.json" with { type: "json" };
import type { SynonymEntry, SynonymTable } from "./analyze.ts";

/** An entry of the everyday lexicon: with the field of the catalogue it serves and a note of where it comes from. */
export interface LexiconEntry extends SynonymEntry {
  field: string;
  note: string;
}

/** An earlier release's default a later one rewrites, where the row still holds what was shipped (`was`). */
export interface LexiconRevision extends LexiconEntry {
  was: { to: readonly string[]; weight?: number };
}

/**
 * The releases of the everyday lexicon, in the order their migrations insert them: each migration seeds the national
 * rows from its own file, skipping a term an earlier row already holds, and may revise an earlier default nobody
 * edited (`revised`). A later release comes as a new file with its own migration, listed here.
 */
export const LEXICON_RELEASES: readonly {
  migration: string;
  entries: readonly LexiconEntry[];
  revised?: readonly LexiconRevision[];
}[] = [
  { migration: "20261207-037-everyday-lexicon", entries: everyday.entries as LexiconEntry[] },
  { migration: "20261207-041-everyday-lexicon-more", entries: everydayMore.entries as LexiconEntry[] },
  { migration: "20261207-047-lexicon-and-audience", entries: everydayThird.entries as LexiconEntry[] },
  { migration: "20261207-048-everyday-concepts", entries: everydayConcepts.entries as LexiconEntry[] },
  {
    migration: "20261207-053-everyday-lexicon-five",
    entries: everydayFifth.entries as LexiconEntry[],
    revised: everydayFifth.revised as LexiconRevision[],
  },
  {
    migration: "20261207-054-everyday-lexicon-six",
    entries: everydaySixth.entries as LexiconEntry[],
    revised: everydaySixth.revised as LexiconRevision[],
  },
  {
    migration: "20261207-055-everyday-lexicon-seven",
    entries: everydaySeventh.entries as LexiconEntry[],
    revised: everydaySeventh.revised as LexiconRevision[],
  },
  {
    migration: "20261207-056-everyday-lexicon-eight",
    entries: everydayEighth.entries as LexiconEntry[],
    revised: everydayEighth.revised as LexiconRevision[],
  },
  {
    migration: "20261207-057-everyday-lexicon-nine",
    entries: everydayNinth.entries as LexiconEntry[],
    revised: everydayNinth.revised as LexiconRevision[],
  },
];

/**
 * The everyday lexicon (issue 11): how citizens name life events and things — nationwide, Northern, Central and
 * Southern words, abbreviations, common misspellings — mapped to the catalogue's terms, with question and courtesy
 * words as filler (an empty `to`). Read from the very files migrations 037, 041, 047, 048, 053, 054, 055, 056 and 057 seed the national rows with, so
 * the tests and the bench measure what a fresh database holds.
 */
export const EVERYDAY_LEXICON: readonly LexiconEntry[] = LEXICON_RELEASES.flatMap((r) => r.entries);

const BASE_SYNONYMS: SynonymTable = [
  // Abbreviations
  { from: "đk", to: ["đăng ký"] },
  { from: "dky", to: ["đăng ký"] },
  { from: "bhxh", to: ["bảo hiểm xã hội"] },
  { from: "bhyt", to: ["bảo hiểm y tế"] },
  { from: "bhtn", to: ["bảo hiểm thất nghiệp"] },
  { from: "gcn", to: ["giấy chứng nhận"] },
  { from: "qsdđ", to: ["quyền sử dụng đất"] },
  { from: "gcn qsdđ", to: ["giấy chứng nhận quyền sử dụng đất"] },
  { from: "cccd", to: ["thẻ căn cước", "căn cước", "căn cước công dân"] },
  { from: "cmnd", to: ["chứng minh nhân dân"] },
  { from: "cmt", to: ["chứng minh nhân dân"] },
  { from: "hk", to: ["hộ khẩu"] },
  { from: "hkd", to: ["hộ kinh doanh"] },
  { from: "htx", to: ["hợp tác xã"] },
  { from: "gpxd", to: ["giấy phép xây dựng"] },
  { from: "mst", to: ["mã số thuế"] },
  { from: "tncn", to: ["thu nhập cá nhân"] },
  { from: "gtgt", to: ["giá trị gia tăng"] },
  { from: "gks", to: ["giấy khai sinh"] },
  { from: "ubnd", to: ["ủy ban nhân dân"] },
  { from: "vneid", to: ["tài khoản định danh điện tử"] },
  // Everyday words
  { from: "sổ đỏ", to: ["giấy chứng nhận quyền sử dụng đất"], weight: 0.98 },
  { from: "sổ hồng", to: ["giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở"], weight: 0.98 },
  { from: "bìa đỏ", to: ["giấy chứng nhận quyền sử dụng đất"], weight: 0.98 },
  { from: "thổ cư", to: ["đất ở"] },
  { from: "lên thổ cư", to: ["chuyển mục đích sử dụng đất"] },
  { from: "công chứng", to: ["chứng thực"], weight: 0.98 },
  { from: "photo", to: ["bản sao"] },
  { from: "sao y", to: ["chứng thực bản sao"] },
  { from: "hộ khẩu", to: ["thường trú", "cư trú"], weight: 0.98 },
  { from: "nhập hộ khẩu", to: ["đăng ký thường trú"] },
  { from: "nhập khẩu", to: ["đăng ký thường trú", "nhập khẩu"] },
  { from: "cắt khẩu", to: ["xóa đăng ký thường trú"] },
  { from: "cắt hộ khẩu", to: ["xóa đăng ký thường trú"] },
  { from: "tách khẩu", to: ["tách hộ"] },
  { from: "tách hộ khẩu", to: ["tách hộ"] },
  { from: "làm giấy khai sinh", to: ["đăng ký khai sinh"] },
  { from: "làm khai sinh", to: ["đăng ký khai sinh"] },
  { from: "giấy khai sinh", to: ["khai sinh"], weight: 0.95 },
  { from: "báo tử", to: ["khai tử"] },
  { from: "giấy chứng tử", to: ["khai tử"] },
  { from: "độc thân", to: ["tình trạng hôn nhân"] },
  { from: "lấy vợ", to: ["kết hôn"] },
  { from: "lấy chồng", to: ["kết hôn"] },
  { from: "nhận con nuôi", to: ["nuôi con nuôi"] },
  { from: "đổi tên", to: ["thay đổi hộ tịch", "cải chính hộ tịch"] },
  { from: "làm lại", to: ["cấp lại", "đăng ký lại"] },
  { from: "bị mất", to: ["cấp lại"] },
  { from: "rút bhxh", to: ["hưởng bảo hiểm xã hội một lần"] },
  { from: "rút bảo hiểm", to: ["hưởng bảo hiểm xã hội một lần"] },
  { from: "tiền tuất", to: ["tử tuất"] },
  { from: "lương hưu", to: ["chế độ bảo hiểm xã hội"] },
  { from: "cà vẹt", to: ["chứng nhận đăng ký xe"] },
  { from: "cavet", to: ["chứng nhận đăng ký xe"] },
  { from: "sang tên xe", to: ["thay đổi chủ xe"] },
  { from: "biển số", to: ["biển số xe"], weight: 0.95 },
  { from: "chặt cây", to: ["chặt hạ cây xanh"] },
  { from: "giải thể", to: ["chấm dứt hoạt động", "giải thể"] },
  { from: "đóng cửa", to: ["chấm dứt hoạt động"] },
  { from: "tạm nghỉ", to: ["tạm ngừng kinh doanh"] },
  { from: "hộ cá thể", to: ["hộ kinh doanh"] },
  { from: "đăng ký hộ kinh doanh", to: ["đăng ký thành lập hộ kinh doanh"], weight: 0.98 },
  { from: "mở hộ kinh doanh", to: ["đăng ký thành lập hộ kinh doanh"] },
  { from: "làm cccd", to: ["cấp thẻ căn cước"] },
  { from: "làm căn cước", to: ["cấp thẻ căn cước"] },
  { from: "xây nhà", to: ["giấy phép xây dựng"] },
  { from: "sửa nhà", to: ["giấy phép xây dựng"] },
  // Numbers as words
  { from: "một", to: ["1"] },
  { from: "1", to: ["một"] },
  // Filler words a query may do without (the words as typed are searched too)
  { from: "thủ tục", to: [], weight: 0.97 },
  { from: "xin", to: [], weight: 0.97 },
  { from: "làm", to: [], weight: 0.97 },
  { from: "cần", to: [], weight: 0.97 },
  { from: "những", to: [], weight: 0.97 },
  { from: "giấy tờ gì", to: [], weight: 0.97 },
  { from: "cần gì", to: [], weight: 0.97 },
  { from: "như thế nào", to: [], weight: 0.97 },
  { from: "thế nào", to: [], weight: 0.97 },
  { from: "ở đâu", to: [], weight: 0.97 },
  { from: "muốn", to: [], weight: 0.97 },
  { from: "tôi", to: [], weight: 0.97 },
  { from: "cho", to: [], weight: 0.97 },
  { from: "cho con", to: [], weight: 0.97 },
  { from: "cho bé", to: [], weight: 0.97 },
  { from: "cho tôi", to: [], weight: 0.97 },
  { from: "của tôi", to: [], weight: 0.97 },
  { from: "cho bố", to: [], weight: 0.97 },
  { from: "cho mẹ", to: [], weight: 0.97 },
  { from: "cho ông", to: [], weight: 0.97 },
  { from: "cho bà", to: [], weight: 0.97 },
  { from: "cho vợ", to: [], weight: 0.97 },
  { from: "cho chồng", to: [], weight: 0.97 },
  { from: "cho cháu", to: [], weight: 0.97 },
  { from: "bị", to: [], weight: 0.97 },
  { from: "thì", to: [], weight: 0.97 },
];

/**
 * The national defaults: the first table (migration 006) and the everyday lexicon (migrations 037, 041, 047, 048 and 053 to 057), as a
 * fresh database holds them: a release's term that an earlier row already holds (compared as the migrations do,
 * NFC and lower case) is left out, as its migration skips it, and a release's revision of an earlier default
 * replaces it in place.
 */
export const DEFAULT_SYNONYMS: SynonymTable = (() => {
  const taken = new Set<string>();
  const out: SynonymEntry[] = [];
  const insert = (entries: readonly SynonymEntry[]) => {
    for (const { from, to, weight } of entries) {
      const term = from.normalize("NFC").toLowerCase();
      if (taken.has(term)) continue;
      taken.add(term);
      out.push(weight === undefined ? { from, to } : { from, to, weight });
    }
  };
  insert(BASE_SYNONYMS);
  for (const release of LEXICON_RELEASES) {
    // As its migration does: the revisions first (in place, where the row holds what was shipped), then the inserts.
    for (const r of release.revised ?? []) {
      const at = out.findIndex((e) => e.from.normalize("NFC") === r.from.normalize("NFC"));
      const e = out[at];
      if (e && JSON.stringify(e.to) === JSON.stringify(r.was.to) && e.weight === r.was.weight)
        out[at] = { from: e.from, to: r.to, weight: r.weight };
    }
    insert(release.entries);
  }
  return out;
})();
