/**
 * The national vocabularies every ward's figures add up on: the six reform pillars and the channel kinds.
 *
 * Frozen: this migration keeps its own copy of the codes and labels as they were when it was written (the live
 * lists are PILLARS and CHANNEL_KINDS in src/features/plans/plan-draft.ts); a new database gets what an old one got.
 */
import type { Kysely } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

const PILLARS: readonly (readonly [string, string])[] = [
  ["institutions", "Cải cách thể chế"],
  ["procedures", "Cải cách thủ tục hành chính"],
  ["apparatus", "Cải cách tổ chức bộ máy hành chính nhà nước"],
  ["civil_service", "Xây dựng, nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức"],
  ["public_finance", "Cải cách tài chính công"],
  ["e_government", "Xây dựng Chính phủ điện tử, Chính phủ số; hiện đại hóa hành chính"],
];

const CHANNEL_KINDS: readonly (readonly [string, string])[] = [
  ["radio", "Đài truyền thanh, phát thanh"],
  ["press", "Báo chí, phương tiện thông tin đại chúng"],
  ["notice_board", "Bảng niêm yết công khai"],
  ["web_portal", "Trang thông tin điện tử, cổng dịch vụ công"],
  ["conference", "Hội nghị, tập huấn"],
  ["community_meeting", "Sinh hoạt cộng đồng, hội đoàn thể, khu dân cư"],
  ["meeting_integration", "Lồng ghép trong cuộc họp, phổ biến giáo dục pháp luật"],
  ["banner_poster", "Băng rôn, pa nô, áp phích, khẩu hiệu"],
  ["feedback_answer", "Trả lời phản ánh, kiến nghị, hỏi đáp"],
  ["survey", "Khảo sát, đo lường sự hài lòng"],
  ["social_media", "Mạng xã hội, nhóm Zalo"],
  ["other", "Hình thức khác"],
];

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const rows = [
    ...PILLARS.map(([code, label], i) => ({ vocabulary: "pillar", code, label, position: i })),
    ...CHANNEL_KINDS.map(([code, label], i) => ({ vocabulary: "channel_kind", code, label, position: i })),
  ];
  // Kysely<unknown> has no table types; the rows match the vocabularies table of migration 001.
  await (db as Kysely<{ vocabularies: { vocabulary: string; code: string; label: string; position: number } }>)
    .insertInto("vocabularies")
    .values(rows)
    .execute();
}
