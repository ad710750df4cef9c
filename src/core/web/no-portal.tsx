/** What `/w/{code}/…` shows when that code has no portal here: a clear 404 page, not an error. */
import type { Context } from "hono";
import type { AdminUnit } from "../db/schema.ts";
import type { AppEnv } from "./context.ts";
import { Layout } from "./layout.tsx";

/**
 * A 404 page explaining why: `unit` is the commune the code names when it exists but has no portal on this
 * deployment; null when no commune has that code (today or on the date given).
 */
export function noPortalPage(c: Context<AppEnv>, ref: string, unit: AdminUnit | null): Response {
  c.header("Cache-Control", "no-store");
  const title = unit ? `${unit.name} chưa có trang trên hệ thống này` : "Không có xã, phường với mã này";
  return c.html(
    <Layout title={title} ward={null} searchBox={false}>
      <h1>{title}</h1>
      {unit ? (
        <p>
          Mã <strong>{unit.code}</strong> là {unit.name}, nhưng xã, phường này chưa được thiết lập trên cổng thông tin
          này nên chưa có kế hoạch, thủ tục hay hỏi đáp để xem. Vui lòng liên hệ Ủy ban nhân dân {unit.name} hoặc tìm
          trang của xã, phường mình trên cổng thông tin của tỉnh.
        </p>
      ) : (
        <p>
          Không có xã, phường nào mang mã <strong>{ref}</strong>. Mã xã, phường gồm 5 chữ số (ví dụ 21439); có thể kèm
          ngày để xem đơn vị như trước khi sắp xếp (ví dụ 21463@2024-02-19).
        </p>
      )}
      <p>
        <a href="/">Về trang chủ</a>
      </p>
    </Layout>,
    404,
  ) as Response;
}
