/** Abbreviations in documents' titles, indexed with their full words (index-structure.ts). */
import { syllables } from "./analyze.ts";

/**
 * Abbreviations the catalogue itself writes in procedure names ("cấp thẻ BHYT", "chế độ TNLĐ, BNN"): a citizen types
 * the words in full, so a document whose title holds one is indexed with the full words as keywords too.
 */
export const TITLE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  bhxh: "bảo hiểm xã hội",
  bhyt: "bảo hiểm y tế",
  bhtn: "bảo hiểm thất nghiệp",
  bhtnld: "bảo hiểm tai nạn lao động",
  tnld: "tai nạn lao động",
  bnn: "bệnh nghề nghiệp",
  dsphsk: "dưỡng sức phục hồi sức khỏe",
  kcb: "khám chữa bệnh",
  ubnd: "ủy ban nhân dân",
  hdnd: "hội đồng nhân dân",
  gcn: "giấy chứng nhận",
  qsdd: "quyền sử dụng đất",
  tncn: "thu nhập cá nhân",
  gtgt: "giá trị gia tăng",
  tndn: "thu nhập doanh nghiệp",
  htx: "hợp tác xã",
  abtc: "thẻ đi lại của doanh nhân apec",
};

/** The folded syllables of the full words of an abbreviation (a folded syllable), or none. */
export function spelledOut(folded: string): readonly string[] {
  const full = TITLE_ABBREVIATIONS[folded];
  if (!full) return [];
  let words = cache.get(folded);
  if (!words) {
    words = syllables(full);
    cache.set(folded, words);
  }
  return words;
}

const cache = new Map<string, string[]>();
