/**
 * Keyword classification of a plan's content areas (→ national pillar) and channels (→ channel kind).
 * Matching is on folded whole words, so "hóa"/"hoá", NFC/NFD and capitals all read alike. Pure.
 */
import { foldWords, nfc } from "../../core/text/vi.ts";
import type { ChannelKind, PillarCode } from "./plan-draft.ts";

/**
 * Checked in order, first hit wins. "tổ chức" alone is the weakest hint (it also means "to organise"), so it is
 * only tried after the civil-service words; "bộ máy" is specific and comes before them.
 */
const PILLAR_RULES: [PillarCode, string[]][] = [
  ["institutions", ["the che"]],
  ["procedures", ["thu tuc", "tthc", "mot cua"]],
  ["public_finance", ["tai chinh"]],
  [
    "e_government",
    [
      "hien dai hoa",
      "dien tu",
      "chuyen doi so",
      "chinh phu so",
      "chinh quyen so",
      "cong nghe thong tin",
      "cntt",
      "so hoa",
      "cds",
    ],
  ],
  ["apparatus", ["bo may"]],
  ["civil_service", ["can bo", "cong chuc", "vien chuc", "cong vu", "doi ngu"]],
  ["apparatus", ["to chuc"]],
];

function hasWords(words: string, key: string): boolean {
  return ` ${words} `.includes(` ${key} `);
}

/** The national pillar a content-area title belongs to ("Về cải cách thể chế" → institutions), or null. */
export function pillarOf(title: string): PillarCode | null {
  const words = foldWords(title);
  for (const [code, keys] of PILLAR_RULES) {
    if (keys.some((k) => hasWords(words, k))) return code;
  }
  return null;
}

/** "phương tiện thông tin đại chúng" is radio when the text names a radio, else the press. */
type ChannelHint = ChannelKind | "mass_media";

const CHANNEL_RULES: [ChannelHint, string[]][] = [
  ["meeting_integration", ["long ghep"]],
  ["radio", ["truyen thanh", "phat thanh", "he thong loa", "loa phat thanh", "phat song"]],
  ["mass_media", ["phuong tien thong tin dai chung"]],
  ["notice_board", ["bang niem yet", "niem yet", "bang tin", "bang thong tin", "bang tuyen truyen"]],
  [
    "web_portal",
    [
      "trang thong tin dien tu",
      "cong thong tin",
      "cong dich vu cong",
      "cong ttdt",
      "website",
      "trang web",
      "trang tin",
    ],
  ],
  ["social_media", ["mang xa hoi", "zalo", "facebook", "fanpage", "tiktok", "youtube"]],
  ["press", ["bao chi", "bao dien tu", "tap chi", "truyen hinh"]],
  ["conference", ["hoi nghi", "tap huan", "hoi thao", "toa dam"]],
  ["community_meeting", ["sinh hoat", "cong dong", "khu dan cu", "hop dan", "to dan pho", "hoi doan the", "thon"]],
  ["banner_poster", ["bang ron", "pa no", "pano", "ap phich", "khau hieu", "to roi", "to gap", "tranh co dong"]],
  ["feedback_answer", ["hoi dap", "giai dap", "tra loi phan anh", "phan anh kien nghi", "duong day nong"]],
  ["survey", ["khao sat", "do luong", "su hai long", "phieu lay y kien"]],
];

/** "báo" (newspaper) cannot be matched folded: "bao" is also "bảo", "báo cáo", "thông báo". */
const NEWSPAPER_RE = /(?<!\p{L})(?<!thông |cảnh |dự |thời )báo(?!\p{L})(?! cáo| tin)/u;

/**
 * The kind of a channel described in words. The keyword that comes first in the text decides ("thông qua các hội
 * nghị, sinh hoạt … cộng đồng" → conference; "trên bảng niêm yết … Đài truyền thanh" → notice_board); ties go to
 * the earlier rule. "other" when nothing matches.
 */
export function channelKindOf(text: string): ChannelKind {
  const words = ` ${foldWords(text)} `;
  let best: { at: number; kind: ChannelHint } | null = null;
  for (const [kind, keys] of CHANNEL_RULES) {
    for (const key of keys) {
      const at = words.indexOf(` ${key} `);
      if (at >= 0 && (best === null || at < best.at)) best = { at, kind };
    }
  }
  const lower = ` ${nfc(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;
  const newspaper = NEWSPAPER_RE.exec(lower);
  // Same punctuation collapsing on both strings, so positions are comparable (keys are matched with their space).
  const newspaperAt = newspaper ? newspaper.index - 1 : -1;
  if (newspaper && (best === null || newspaperAt < best.at)) best = { at: newspaperAt, kind: "press" };
  if (best === null) return "other";
  if (best.kind === "mass_media") {
    return hasWords(words, "truyen thanh") || hasWords(words, "phat thanh") ? "radio" : "press";
  }
  return best.kind;
}
