/**
 * The synonym table as editable data: seeded, when empty, with the abbreviations and everyday words citizens type.
 * Staff edit it afterwards (/quan-tri/tu-dong-nghia); later versions of the defaults never overwrite those edits.
 *
 * Frozen: the list below is this migration's own copy of the defaults as they were when it was written (the live
 * list, src/core/search/synonyms.ts, may change; a new database must get what an old one got). Later changes to the
 * defaults arrive by new migrations that leave staff edits alone.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

/** [term, what it expands to, weight when not the default]; terms NFC, trimmed and distinct. */
const SEED: readonly (readonly [string, readonly string[], number?])[] = [
  ["đk", ["đăng ký"]],
  ["dky", ["đăng ký"]],
  ["bhxh", ["bảo hiểm xã hội"]],
  ["bhyt", ["bảo hiểm y tế"]],
  ["bhtn", ["bảo hiểm thất nghiệp"]],
  ["gcn", ["giấy chứng nhận"]],
  ["qsdđ", ["quyền sử dụng đất"]],
  ["gcn qsdđ", ["giấy chứng nhận quyền sử dụng đất"]],
  ["cccd", ["thẻ căn cước", "căn cước", "căn cước công dân"]],
  ["cmnd", ["chứng minh nhân dân"]],
  ["cmt", ["chứng minh nhân dân"]],
  ["hk", ["hộ khẩu"]],
  ["hkd", ["hộ kinh doanh"]],
  ["htx", ["hợp tác xã"]],
  ["gpxd", ["giấy phép xây dựng"]],
  ["mst", ["mã số thuế"]],
  ["tncn", ["thu nhập cá nhân"]],
  ["gtgt", ["giá trị gia tăng"]],
  ["gks", ["giấy khai sinh"]],
  ["ubnd", ["ủy ban nhân dân"]],
  ["vneid", ["tài khoản định danh điện tử"]],
  ["sổ đỏ", ["giấy chứng nhận quyền sử dụng đất"], 0.98],
  ["sổ hồng", ["giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở"], 0.98],
  ["bìa đỏ", ["giấy chứng nhận quyền sử dụng đất"], 0.98],
  ["thổ cư", ["đất ở"]],
  ["lên thổ cư", ["chuyển mục đích sử dụng đất"]],
  ["công chứng", ["chứng thực"], 0.98],
  ["photo", ["bản sao"]],
  ["sao y", ["chứng thực bản sao"]],
  ["hộ khẩu", ["thường trú", "cư trú"], 0.98],
  ["nhập hộ khẩu", ["đăng ký thường trú"]],
  ["nhập khẩu", ["đăng ký thường trú", "nhập khẩu"]],
  ["cắt khẩu", ["xóa đăng ký thường trú"]],
  ["cắt hộ khẩu", ["xóa đăng ký thường trú"]],
  ["tách khẩu", ["tách hộ"]],
  ["tách hộ khẩu", ["tách hộ"]],
  ["làm giấy khai sinh", ["đăng ký khai sinh"]],
  ["làm khai sinh", ["đăng ký khai sinh"]],
  ["giấy khai sinh", ["khai sinh"], 0.95],
  ["báo tử", ["khai tử"]],
  ["giấy chứng tử", ["khai tử"]],
  ["độc thân", ["tình trạng hôn nhân"]],
  ["lấy vợ", ["kết hôn"]],
  ["lấy chồng", ["kết hôn"]],
  ["nhận con nuôi", ["nuôi con nuôi"]],
  ["đổi tên", ["thay đổi hộ tịch", "cải chính hộ tịch"]],
  ["làm lại", ["cấp lại", "đăng ký lại"]],
  ["bị mất", ["cấp lại"]],
  ["rút bhxh", ["hưởng bảo hiểm xã hội một lần"]],
  ["rút bảo hiểm", ["hưởng bảo hiểm xã hội một lần"]],
  ["tiền tuất", ["tử tuất"]],
  ["lương hưu", ["chế độ bảo hiểm xã hội"]],
  ["cà vẹt", ["chứng nhận đăng ký xe"]],
  ["cavet", ["chứng nhận đăng ký xe"]],
  ["sang tên xe", ["thay đổi chủ xe"]],
  ["biển số", ["biển số xe"], 0.95],
  ["chặt cây", ["chặt hạ cây xanh"]],
  ["giải thể", ["chấm dứt hoạt động", "giải thể"]],
  ["đóng cửa", ["chấm dứt hoạt động"]],
  ["tạm nghỉ", ["tạm ngừng kinh doanh"]],
  ["hộ cá thể", ["hộ kinh doanh"]],
  ["đăng ký hộ kinh doanh", ["đăng ký thành lập hộ kinh doanh"], 0.98],
  ["mở hộ kinh doanh", ["đăng ký thành lập hộ kinh doanh"]],
  ["làm cccd", ["cấp thẻ căn cước"]],
  ["làm căn cước", ["cấp thẻ căn cước"]],
  ["xây nhà", ["giấy phép xây dựng"]],
  ["sửa nhà", ["giấy phép xây dựng"]],
  ["một", ["1"]],
  ["1", ["một"]],
  ["thủ tục", [], 0.97],
  ["xin", [], 0.97],
  ["làm", [], 0.97],
  ["cần", [], 0.97],
  ["những", [], 0.97],
  ["giấy tờ gì", [], 0.97],
  ["cần gì", [], 0.97],
  ["như thế nào", [], 0.97],
  ["thế nào", [], 0.97],
  ["ở đâu", [], 0.97],
  ["muốn", [], 0.97],
  ["tôi", [], 0.97],
  ["cho", [], 0.97],
  ["cho con", [], 0.97],
  ["cho bé", [], 0.97],
  ["cho tôi", [], 0.97],
  ["của tôi", [], 0.97],
  ["cho bố", [], 0.97],
  ["cho mẹ", [], 0.97],
  ["cho ông", [], 0.97],
  ["cho bà", [], 0.97],
  ["cho vợ", [], 0.97],
  ["cho chồng", [], 0.97],
  ["cho cháu", [], 0.97],
  ["bị", [], 0.97],
  ["thì", [], 0.97],
];

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const r = await sql<{ n: number | string }>`select count(*) as n from search_synonyms`.execute(db);
  if (Number(r.rows[0]?.n ?? 0) > 0) return;
  for (const [term, to, weight] of SEED) {
    // The same JSON as search.service.ts `expansionsJson`: a list, or { to, weight } when the weight is set.
    const expansions = JSON.stringify(weight === undefined ? [...to] : { to: [...to], weight });
    await sql`insert into search_synonyms (term, expansions) values (${term}, ${expansions})`.execute(db);
  }
}
