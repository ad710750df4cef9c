/** Public pages: the ward's home, its plans and their progress. Server-rendered, no JavaScript, no personal data. */
import { Hono } from "hono";
import { formatDate, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { LatestNews } from "../news/news.public.tsx";
import { latestArticles } from "../news/news.service.ts";
import { budgetView } from "./budget.service.ts";
import { BudgetDisclosure } from "./budget.views.tsx";
import { PlanProgress } from "./plans.progress.tsx";
import { loadPlan, plansOfWard, planVisibleIn } from "./plans.service.ts";
import { PlanContent, PlanFacts } from "./plans.views.tsx";
import { planProgress } from "./tracking.service.ts";

export function plansPublicRoutes() {
  const app = new Hono<AppEnv>();

  const listPage = async (c: import("hono").Context<AppEnv>, home: boolean) => {
    const ward = c.get("ward");
    const plans = await plansOfWard(c.get("deps").db.kysely, ward);
    const news = home ? await latestArticles(c.get("deps").db.kysely, ward, 5) : [];
    // A split commune's records show under every successor, marked as covering part of its area.
    const partialIds = new Set(ward.predecessors.filter((p) => p.kind === "partial").map((p) => p.unit.id));
    return c.html(
      <Layout title={home ? "Trang chủ" : "Kế hoạch cải cách hành chính"} ward={ward} searchBox={!home}>
        <h1>{home ? `Cải cách hành chính ${ward.unit.name}` : "Kế hoạch tuyên truyền cải cách hành chính"}</h1>
        {home ? (
          <p>
            {ward.unit.name}, {ward.province?.name}.{" "}
            {ward.predecessors.length
              ? `Thành lập từ ngày 01/07/2025 trên cơ sở ${ward.predecessors.map((p) => `${p.unit.name}${p.kind === "partial" ? " (một phần)" : ""}`).join(", ")}.`
              : ""}
          </p>
        ) : null}
        {home ? (
          <section class="card" aria-labelledby="tim-thu-tuc">
            <h2 id="tim-thu-tuc">Thủ tục hành chính</h2>
            <form method="get" action={`${ward.base}/tim-kiem`}>
              <label for="q-home">Bạn cần làm thủ tục gì?</label>
              <span class="hint">Gõ có dấu hoặc không dấu, ví dụ: dang ky khai sinh</span>
              <input type="search" id="q-home" name="q" maxlength={200} />
              <button type="submit" class="btn">
                Tìm
              </button>
            </form>
            <p>
              <a href={`${ward.base}/thu-tuc`}>Xem toàn bộ danh mục thủ tục hành chính</a> ·{" "}
              <a href={`${ward.base}/thu-tuc/bang-niem-yet`}>Bảng niêm yết</a>
            </p>
          </section>
        ) : null}
        {home ? <LatestNews articles={news} base={ward.base} /> : null}
        {home ? (
          <section class="card" aria-labelledby="y-kien">
            <h2 id="y-kien">Ý kiến của bạn</h2>
            <ul class="items">
              <li>
                <a href={`${ward.base}/gop-y`}>Gửi phản ánh, kiến nghị</a> về thủ tục hành chính, cán bộ; tra cứu kết
                quả xử lý bằng mã được cấp.
              </li>
              <li>
                <a href={`${ward.base}/hoi-dap`}>Hỏi đáp</a>: xem câu trả lời của phường hoặc gửi câu hỏi.
              </li>
              <li>
                <a href={`${ward.base}/khao-sat`}>Đánh giá sự hài lòng</a> khi làm thủ tục, không ghi tên.
              </li>
            </ul>
          </section>
        ) : null}
        <h2>Kế hoạch</h2>
        {plans.length === 0 ? (
          <p>Chưa có kế hoạch nào được công bố.</p>
        ) : (
          <ul class="items">
            {plans.map((p) => (
              <li>
                <a href={`${ward.base}/ke-hoach/${p.id}`}>
                  Kế hoạch {p.number}: {p.title}
                </a>{" "}
                <span class="muted small">
                  ngày {formatDate(p.issued_on)}
                  {p.ward_valid_to
                    ? ` · ${p.ward_name} (trước sắp xếp${partialIds.has(p.ward_id) ? ", một phần địa bàn" : ""})`
                    : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  };

  app.get("/", cacheable(), (c) => listPage(c, true));
  app.get("/ke-hoach", cacheable(), (c) => listPage(c, false));

  app.get("/ke-hoach/:id{[0-9]+}", cacheable(), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    // The issuing unit is the ward or one of its predecessors, already known; the tasks come with their latest work.
    const units = [ward.unit, ...ward.predecessors.map((x) => x.unit)];
    // One statement: the plan's rows, its tasks' latest work and the ledger's sums, which serve both the progress
    // and the budget sections.
    const p = await loadPlan(db.kysely, Number(c.req.param("id")), { units, lastWork: true, ledgerSums: true });
    if (!p?.sums || !planVisibleIn(p.plan, ward)) throw notFound("Không tìm thấy kế hoạch.");
    const sums = p.sums;
    const [progress, budget] = await Promise.all([
      planProgress(db.kysely, p.plan.id, vnToday(clock()), { ...p, sums }),
      budgetView(db.kysely, p.plan.id, { ...p, sums }),
    ]);
    return c.html(
      <Layout title={p.plan.title} ward={ward}>
        <h1>
          Kế hoạch {p.plan.number}: {p.plan.title}
        </h1>
        <PlanFacts p={p} currentName={ward.unit.name} />
        <PlanProgress p={p} progress={progress} staff={false} />
        <BudgetDisclosure {...budget} />
        <PlanContent p={p} base={ward.base} />
      </Layout>,
    );
  });
  return app;
}
