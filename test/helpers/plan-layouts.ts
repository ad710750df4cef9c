/**
 * The real seed plan rewritten the way many wards write section IV: a task table (lead, cooperating units,
 * timing in words) instead of headings and bullets, and a deputy signing for the chairman. Same number and date
 * as the seed: importing it over the seed is a large change.
 */
import { seedPlanText } from "./env.ts";

const TABLE = [
  "Các ngành, đơn vị thực hiện theo bảng phân công nhiệm vụ sau:",
  "",
  "| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện |",
  "|:---:|---|---|---|---|",
  "| 1 | Tổng hợp tình hình hoạt động tuyên truyền cải cách hành chính, báo cáo UBND phường | Văn phòng – Thống kê UBND phường | Ngành Văn hóa - xã hội | Hằng quý |",
  "| 2 | Tuyên truyền cải cách hành chính trên Đài truyền thanh phường | Đài truyền thanh phường | Văn phòng – Thống kê UBND phường | Thường xuyên |",
  "| 3 | Tổ chức tuyên truyền cải cách hành chính trong sinh hoạt chi hội | Ngành Văn hóa - xã hội | Hội Liên hiệp Phụ nữ phường, Đoàn Thanh niên phường | Quý II |",
  "| 4 | Lồng ghép tuyên truyền cải cách hành chính vào phổ biến, giáo dục pháp luật | Ngành Tư pháp - hộ tịch | Ủy ban MTTQ Việt Nam phường | Tháng 9/2024 |",
  "| 5 | Bố trí kinh phí thực hiện công tác tuyên truyền cải cách hành chính | Công chức Tài chính - kế toán | | Trước ngày 31/3 |",
  "",
].join("\n");

export function seedWithTaskTable(): string {
  const seed = seedPlanText();
  const start = seed.indexOf("Trên cơ sở kế hoạch này");
  const end = seed.indexOf("Trên đây là kế hoạch");
  if (start < 0 || end < 0) throw new Error("the seed's section IV was not found");
  return (seed.slice(0, start) + TABLE + seed.slice(end)).replace(
    "**CHỦ TỊCH**",
    "**TM. ỦY BAN NHÂN DÂN**\n\n**KT. CHỦ TỊCH**\n\n**PHÓ CHỦ TỊCH**",
  );
}
