/** How staff pages show personal data that was erased: one wording everywhere, with why. */
import { RETENTION_REASON } from "./privacy.schemas.ts";

/** "Đã xoá theo yêu cầu", or the retention wording when the period ran out. */
export function erasedLabel(reason: string | null | undefined): string {
  return reason === RETENTION_REASON ? "Đã xoá do hết thời hạn lưu trữ" : "Đã xoá theo yêu cầu";
}
