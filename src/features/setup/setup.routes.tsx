/** The first-run setup page, reachable only while no account exists and only with the code printed at start. */
import { Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { checkOrigin } from "../../core/web/middleware.ts";
import { formFields } from "../../core/web/validation.ts";
import { forgetWards } from "../../core/web/ward.ts";
import { completeSetup, userCount } from "./setup.service.ts";

const FIELDS = [
  ["code", "Mã thiết lập", "Dòng “Thiết lập lần đầu” in ra khi khởi động máy chủ."],
  ["wardCode", "Mã xã, phường (5 chữ số)", "Ví dụ 21439."],
  ["wardName", "Tên xã, phường", "Ví dụ Phường Đức Phổ."],
  ["provinceCode", "Mã tỉnh, thành phố (2 chữ số)", "Ví dụ 51."],
  ["provinceName", "Tên tỉnh, thành phố", "Ví dụ Tỉnh Quảng Ngãi."],
  ["username", "Tên đăng nhập của quản trị viên", "Chữ không dấu, số, dấu chấm."],
  ["displayName", "Họ tên quản trị viên", ""],
  ["password", "Mật khẩu (ít nhất 8 ký tự)", ""],
] as const;

function SetupPage({ errors, values }: { errors: Record<string, string>; values: Record<string, string> }) {
  return (
    <Layout title="Thiết lập lần đầu" ward={null}>
      <h1>Thiết lập lần đầu</h1>
      <p>Chưa có dữ liệu mẫu. Nhập thông tin xã, phường và tạo tài khoản quản trị viên đầu tiên.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/thiet-lap">
        {FIELDS.map(([name, label, hint]) => (
          <div>
            <label for={name}>
              {label}
              {hint ? <span class="hint">{hint}</span> : null}
            </label>
            {errors[name] ? <span class="field-error">{errors[name]}</span> : null}
            <input
              type={name === "password" || name === "code" ? "password" : "text"}
              id={name}
              name={name}
              value={name === "password" || name === "code" ? "" : (values[name] ?? "")}
            />
          </div>
        ))}
        <button type="submit" class="btn">
          Hoàn tất thiết lập
        </button>
      </form>
    </Layout>
  );
}

export function setupRoutes() {
  const app = new Hono<AppEnv>();
  // Without a ward and without accounts, every page leads here.
  app.use("*", async (c, next) => {
    if (c.get("ward") || c.req.path.startsWith("/thiet-lap") || c.req.path.startsWith("/api/")) return next();
    if ((await userCount(c.get("deps").db.kysely)) === 0) return c.redirect("/thiet-lap", 303);
    await next();
  });
  app.get("/thiet-lap", async (c) => {
    if ((await userCount(c.get("deps").db.kysely)) > 0) return c.redirect("/", 303);
    return c.html(<SetupPage errors={{}} values={{}} />);
  });
  app.post("/thiet-lap", async (c) => {
    checkOrigin(c);
    const deps = c.get("deps");
    const v = formFields(await c.req.parseBody());
    const input = Object.fromEntries(FIELDS.map(([k]) => [k, (v[k] ?? "").slice(0, 200)])) as Record<
      (typeof FIELDS)[number][0],
      string
    >;
    const r = await completeSetup(deps.db, input, deps.clock());
    if (!r.ok) {
      c.status(400);
      return c.html(<SetupPage errors={r.errors} values={input} />);
    }
    deps.config.defaultWard = input.wardCode;
    forgetWards(deps.db);
    return c.redirect("/dang-nhap", 303);
  });
  return app;
}
