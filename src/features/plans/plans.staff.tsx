/** Staff pages of plans: import (upload or paste → preview → confirm) and the plan overview with progress. */

import { Hono } from "hono";
import { z } from "zod";
import type { Actor } from "../../core/audit.ts";
import { formatDate, isoDate, vnToday } from "../../core/text/vi.ts";
import type { AppEnv, Ward } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { sessionOf } from "../../core/web/staff.ts";
import { staffBudgetView } from "./budget.service.ts";
import { BudgetPreview, PlanBudgetSection } from "./budget.views.tsx";
import { PlanDocumentActions } from "./next-plan.views.tsx";
import { type ParsedPlanResult, PLAN_MAX_BYTES, readPlanIsolated } from "./plan-document.ts";
import { PILLARS } from "./plan-draft.ts";
import { PlanProgress } from "./plans.progress.tsx";
import {
  confirmPlanImport,
  type ImportPreview,
  loadPlan,
  planVisibleIn,
  previewPlanImport,
  type UnitChoice,
} from "./plans.service.ts";
import { PlanContent, PlanFacts } from "./plans.views.tsx";
import { TASK_STATES, type TaskState } from "./progress.ts";
import { planProgress } from "./tracking.service.ts";

const actorOf = (c: { get(k: "session"): AppEnv["Variables"]["session"] }): Actor => {
  const u = c.get("session")?.user;
  return { userId: u?.id ?? null, name: u?.username ?? "?", wardId: u?.ward_id ?? null };
};

function ImportForm({ csrf, error, text }: { csrf: string; error?: string; text?: string }) {
  return (
    <>
      <h1>Nhập kế hoạch</h1>
      <p>
        Tải lên văn bản kế hoạch (.docx, .txt hoặc .md) hoặc dán nội dung. Hệ thống sẽ cho bạn xem trước những gì đọc
        được trước khi lưu.
      </p>
      {error ? <ErrorSummary errors={{ file: error }} /> : null}
      <form method="post" action="/quan-tri/ke-hoach/nhap" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="file">
          Tệp văn bản <span class="hint">Tối đa {PLAN_MAX_BYTES / 1024 / 1024} MB.</span>
        </label>
        {error ? <span class="field-error">{error}</span> : null}
        <input
          type="file"
          id="file"
          name="file"
          accept=".docx,.txt,.md,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        />
        <label for="text">
          Hoặc dán nội dung kế hoạch <span class="hint">Dùng khi không có tệp.</span>
        </label>
        <textarea id="text" name="text" rows={12}>
          {text ?? ""}
        </textarea>
        <div>
          <button type="submit" class="btn">
            Xem trước
          </button>
        </div>
      </form>
    </>
  );
}

const CHANGE_LABEL = {
  added: "Thêm mới",
  kept: "Giữ nguyên",
  changed: "Sửa lời văn (giữ tiến độ)",
  removed: "Bỏ khỏi kế hoạch (giữ lịch sử)",
} as const;

function PreviewView({ p, csrf, ward }: { p: ImportPreview; csrf: string; ward: Ward }) {
  const d = p.draft;
  const counts = d.assignmentGroups.reduce((n, g) => n + g.tasks.length, 0);
  return (
    <>
      <h1>Xem trước kế hoạch</h1>
      {p.existing?.sameText ? (
        <div class="notice" role="status">
          Kế hoạch này đã được nhập với nội dung y hệt. Lưu lại sẽ không thay đổi gì.{" "}
          <a href={`/quan-tri/ke-hoach/${p.existing.id}`}>Mở kế hoạch</a>
        </div>
      ) : p.existing ? (
        <div class="notice" role="status">
          Đã có kế hoạch cùng số và ngày. Xác nhận sẽ cập nhật theo văn bản mới; tiến độ đã ghi nhận được giữ nguyên.
        </div>
      ) : null}
      {p.largeChange ? (
        <div class="warning" role="alert" id="thay-doi-lon">
          <h2>Thay đổi lớn</h2>
          <p>
            Văn bản mới bỏ {p.largeChange.removed} và sửa {p.largeChange.changed} trong {p.largeChange.total} nhiệm vụ
            đã lưu của kế hoạch này. Có thể đây là một kế hoạch khác hoặc chọn nhầm tệp. Tiến độ đã ghi nhận của các
            nhiệm vụ bị bỏ vẫn được giữ trong lịch sử.
          </p>
        </div>
      ) : null}
      {p.blocking.length ? (
        <div class="error-summary" role="alert">
          <h2>Chưa thể lưu</h2>
          <ul>
            {p.blocking.map((b) => (
              <li>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {d.warnings.length ? (
        <div class="warning">
          <h2>Cần kiểm tra</h2>
          <ul>
            {d.warnings.map((w) => (
              <li>{w.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl class="facts">
        <dt>Số, ký hiệu</dt>
        <dd>{d.number ?? "—"}</dd>
        <dt>Ngày ban hành</dt>
        <dd>{d.issuedOn ? d.issuedOn.split("-").reverse().join("/") : "—"}</dd>
        <dt>Nơi ban hành</dt>
        <dd>{d.place ?? "—"}</dd>
        <dt>Tên kế hoạch</dt>
        <dd>{d.title ?? "—"}</dd>
        <dt>Đơn vị ban hành</dt>
        <dd>{p.issuingWard ? `${p.issuingWard.name} (mã ${p.issuingWard.code})` : "—"}</dd>
        <dt>Đã đọc được</dt>
        <dd>
          {d.purposes.length} mục đích, {d.requirements.length} yêu cầu, {d.contentAreas.length} nhóm nội dung,{" "}
          {d.channels.length} hình thức, {d.assignmentGroups.length} nhóm nhiệm vụ với {counts} nhiệm vụ,{" "}
          {d.references.length} văn bản dẫn chiếu, {d.recipients.length} dòng nơi nhận
        </dd>
      </dl>
      <h2>Nội dung tuyên truyền và lĩnh vực CCHC</h2>
      <ul class="items">
        {d.contentAreas.map((a) => (
          <li>
            {a.code}. {a.title} ({a.items.length} nội dung) →{" "}
            <strong>{a.pillar ? PILLARS[a.pillar] : "chưa xác định"}</strong>
          </li>
        ))}
      </ul>
      <form method="post" action="/quan-tri/ke-hoach/xac-nhan">
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="issuingWardId">
          Đơn vị ban hành <span class="hint">Đọc từ văn bản; chọn lại nếu chưa đúng.</span>
        </label>
        <select id="issuingWardId" name="issuingWardId">
          {[{ unit: ward.unit, kind: "self" as const }, ...ward.predecessors].map((o) => (
            <option value={String(o.unit.id)} selected={o.unit.id === p.issuingWard?.id}>
              {o.unit.name} (mã {o.unit.code}
              {o.unit.valid_to ? `, đến ${formatDate(o.unit.valid_to)}` : ""}
              {o.kind === "partial" ? ", một phần" : ""})
            </option>
          ))}
        </select>
        <BudgetPreview budget={d.budget} />
        <h2>Phân công nhiệm vụ</h2>
        <p class="hint">
          Cột “Thời gian” chỉ ghi khi nhiệm vụ nêu rõ (thường xuyên, hằng tháng, hằng quý, hằng năm, quý II/2024, tháng
          6/2024, một ngày); sửa hoặc xóa nếu chưa đúng: nhiệm vụ thường xuyên, hằng tháng được nhắc theo tháng, hằng
          quý theo quý, hằng năm theo năm, có ngày thì theo hạn đó.
        </p>
        {d.assignmentGroups.map((g) => {
          const match = p.groups.find((m) => m.code === g.code);
          return (
            <section class="card">
              <h3>
                {g.code}. {g.heading}
              </h3>
              {match?.unit ? (
                <p>
                  Đơn vị chủ trì: <strong>{match.unit.name}</strong>
                </p>
              ) : (
                <div class="warning">
                  <label for={`unit-${g.code}`}>Không nhận ra đơn vị. Chọn đơn vị hoặc tạo mới:</label>
                  <select id={`unit-${g.code}`} name={`unit-${g.code}`}>
                    <option value="new">Tạo đơn vị mới: {match?.proposedName ?? g.heading}</option>
                    {p.units.map((u) => (
                      <option value={String(u.id)}>{u.name} (thêm tên gọi này)</option>
                    ))}
                  </select>
                  <label for={`name-${g.code}`}>Tên đơn vị mới</label>
                  <input
                    type="text"
                    id={`name-${g.code}`}
                    name={`name-${g.code}`}
                    value={match?.proposedName ?? g.heading}
                  />
                </div>
              )}
              <table class="tasks">
                <thead>
                  <tr>
                    <th scope="col">Nhiệm vụ</th>
                    <th scope="col">Thời gian</th>
                  </tr>
                </thead>
                <tbody>
                  {g.tasks.map((t, i) => (
                    <tr>
                      <td>
                        {t.text}
                        {t.supportingUnitTexts.length ? (
                          <div class="muted small">Phối hợp: {t.supportingUnitTexts.join(", ")}</div>
                        ) : null}
                      </td>
                      <td>
                        <input
                          type="text"
                          name={`timing-${g.code}-${i}`}
                          value={t.timing ?? ""}
                          maxlength={100}
                          aria-label={`Thời gian của nhiệm vụ ${i + 1} nhóm ${g.code}`}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })}
        {p.existing && !p.existing.sameText ? (
          <>
            <h2>Thay đổi so với bản đã lưu</h2>
            <ul class="items">
              {p.taskChanges
                .filter((ch) => ch.kind !== "kept")
                .map((ch) => (
                  <li>
                    <strong>{CHANGE_LABEL[ch.kind]}:</strong> {ch.text}
                    {ch.previous ? <span class="muted small"> (trước: {ch.previous})</span> : null}
                  </li>
                ))}
            </ul>
          </>
        ) : null}
        {p.unknownUnits.some((u) => u.role === "support") ? (
          <>
            <h2>Đơn vị phối hợp chưa có trong danh sách</h2>
            <p>Khi lưu, các đơn vị sau sẽ được tạo mới (đổi tên hoặc gộp sau tại trang Đơn vị):</p>
            <ul class="items">
              {p.unknownUnits
                .filter((u) => u.role === "support")
                .map((u) => (
                  <li>
                    {u.name}
                    {u.kind === "partner" ? (
                      <span class="muted small"> (Mặt trận, đoàn thể: đơn vị phối hợp)</span>
                    ) : null}
                  </li>
                ))}
            </ul>
          </>
        ) : null}
        {p.largeChange ? (
          <p>
            <label>
              <input type="checkbox" name="replace" value="1" required /> Tôi xác nhận thay thế phần lớn nhiệm vụ của kế
              hoạch đã lưu bằng văn bản mới
            </label>
          </p>
        ) : null}
        <textarea name="text" hidden>
          {p.text}
        </textarea>
        {p.blocking.length ? null : (
          <button type="submit" class="btn">
            {p.existing?.sameText ? "Không có gì thay đổi — quay lại" : "Xác nhận và lưu"}
          </button>
        )}
        <a class="btn secondary" href="/quan-tri/ke-hoach/nhap">
          Hủy
        </a>
      </form>
    </>
  );
}

/** `?don-vi=`: the tasks one unit leads (its id), or those without a lead unit ("none"). */
const leadUnitQuery = z
  .union([
    z.literal("none"),
    z
      .string()
      .regex(/^\d{1,9}$/)
      .transform(Number),
  ])
  .optional();

/** `?trang-thai=`: only the tasks in this state (as the figures compute it). */
const taskStateQuery = z.enum(TASK_STATES as [TaskState, ...TaskState[]]).optional();

/** `?ngay=`: the day the states are computed for (a report's period end); a later day than today means today. */
const asOfQuery = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => isoDate(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))) !== null)
  .optional();

export function plansStaffRoutes() {
  const app = new Hono<AppEnv>();
  app.use("*", requireStaff, requireCsrf);

  app.get("/ke-hoach/nhap", requireAction("plan.import"), (c) => {
    const s = c.get("session");
    return c.html(
      <Layout title="Nhập kế hoạch" ward={c.get("ward")} session={s} staff>
        <ImportForm csrf={s?.csrfToken ?? ""} />
      </Layout>,
    );
  });

  app.post("/ke-hoach/nhap", requireAction("plan.import"), async (c) => {
    const s = c.get("session");
    const { db, clock } = c.get("deps");
    const body = await c.req.parseBody();
    const file = body.file;
    let parsed: ParsedPlanResult | null = null;
    let error: string | null = null;
    let status: 400 | 413 = 400;
    // Reading and parsing run in a worker under time and memory limits: the server keeps answering meanwhile.
    if (file instanceof File && file.size > PLAN_MAX_BYTES) {
      status = 413;
      error = `Tệp quá lớn: tối đa ${PLAN_MAX_BYTES / 1024 / 1024} MB cho một văn bản kế hoạch.`;
    } else if (file instanceof File && file.size > 0) {
      parsed = await readPlanIsolated({ bytes: new Uint8Array(await file.arrayBuffer()) });
    } else if (typeof body.text === "string" && body.text.trim()) {
      parsed = await readPlanIsolated({ text: body.text });
    } else error = "Hãy chọn tệp kế hoạch hoặc dán nội dung.";
    const ward = c.get("ward");
    let preview: ImportPreview | null = null;
    if (parsed && !parsed.ok) error = parsed.error;
    else if (parsed) {
      const r = await previewPlanImport(db.kysely, ward, parsed, { today: vnToday(clock()) });
      if (r.ok) preview = r.preview;
      else error = r.error;
    }
    if (!preview) {
      c.status(status);
      return c.html(
        <Layout title="Nhập kế hoạch" ward={ward} session={s} staff>
          <ImportForm
            csrf={s?.csrfToken ?? ""}
            error={error ?? ""}
            text={typeof body.text === "string" ? body.text : ""}
          />
        </Layout>,
      );
    }
    return c.html(
      <Layout title="Xem trước kế hoạch" ward={ward} session={s} staff>
        <PreviewView p={preview} csrf={s?.csrfToken ?? ""} ward={ward} />
      </Layout>,
    );
  });

  app.post("/ke-hoach/xac-nhan", requireAction("plan.import"), async (c) => {
    const { db, clock } = c.get("deps");
    const body = await c.req.parseBody();
    const text = typeof body.text === "string" ? body.text : "";
    const choices: Record<string, UnitChoice> = {};
    const timings: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      const timing = /^timing-(.+-\d+)$/.exec(key);
      if (timing?.[1] && typeof value === "string") timings[timing[1]] = value.slice(0, 100);
      const m = /^unit-(.+)$/.exec(key);
      if (!m || typeof value !== "string") continue;
      const code = m[1] as string;
      if (value === "new") choices[code] = { create: String(body[`name-${code}`] ?? "").slice(0, 200) };
      else if (/^\d+$/.test(value)) choices[code] = { existing: Number(value) };
    }
    const ward = c.get("ward");
    const issuingWardId =
      typeof body.issuingWardId === "string" && /^\d+$/.test(body.issuingWardId) ? Number(body.issuingWardId) : null;
    // Only the ward itself or one of its predecessors may be named as the issuer.
    const issuing = issuingWardId && ward.scopeIds.includes(issuingWardId) ? issuingWardId : null;
    const now = clock();
    const parsed = await readPlanIsolated({ text });
    const r = parsed.ok
      ? await confirmPlanImport(db.kysely, actorOf(c), ward, parsed, {
          issuingWardId: issuing,
          choices,
          timings,
          replace: body.replace === "1",
          now,
          today: vnToday(now),
        })
      : parsed;
    if (!r.ok) {
      c.status(400);
      const s = c.get("session");
      return c.html(
        <Layout title="Nhập kế hoạch" ward={ward} session={s} staff>
          <ImportForm csrf={s?.csrfToken ?? ""} error={r.error} text={text} />
        </Layout>,
      );
    }
    return c.redirect(
      `/quan-tri/ke-hoach/${r.planId}?ket-qua=${r.outcome}${r.attachedActivities ? `&gan=${r.attachedActivities}` : ""}`,
      303,
    );
  });

  app.get("/ke-hoach/:id{[0-9]+}", requireAction("plan.read"), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const p = await loadPlan(db.kysely, Number(c.req.param("id")));
    if (!p || !planVisibleIn(p.plan, ward)) throw notFound("Không tìm thấy kế hoạch.");
    const unitFilter = leadUnitQuery.safeParse(c.req.query("don-vi"));
    if (!unitFilter.success) throw new AppError(400, "bad_request", "Đơn vị lọc không hợp lệ.");
    const leadUnit = unitFilter.data;
    const stateFilter = taskStateQuery.safeParse(c.req.query("trang-thai"));
    if (!stateFilter.success) throw new AppError(400, "bad_request", "Tình trạng lọc không hợp lệ.");
    const asOfFilter = asOfQuery.safeParse(c.req.query("ngay"));
    if (!asOfFilter.success) throw new AppError(400, "bad_request", "Ngày tính tình trạng chưa đúng (YYYY-MM-DD).");
    const today = vnToday(clock());
    // A report's figures are as of its period's end (or today, if earlier): its links ask for that day.
    const asOf = asOfFilter.data && asOfFilter.data < today ? asOfFilter.data : undefined;
    const outcome = c.req.query("ket-qua");
    const attached = Math.max(0, Math.min(1e6, Number.parseInt(c.req.query("gan") ?? "0", 10) || 0));
    return c.html(
      <Layout title={p.plan.title} ward={ward} session={c.get("session")} staff>
        {outcome ? (
          <div class="notice" role="status">
            {outcome === "created"
              ? "Đã lưu kế hoạch."
              : outcome === "updated"
                ? "Đã cập nhật kế hoạch; tiến độ đã ghi nhận được giữ nguyên."
                : "Kế hoạch không có gì thay đổi."}
            {attached > 0
              ? ` ${attached} hoạt động ghi nhận khi chưa có kế hoạch (trong thời gian của kế hoạch này) đã được gắn vào kế hoạch.`
              : null}
          </div>
        ) : null}
        <h1>
          Kế hoạch {p.plan.number}: {p.plan.title}
        </h1>
        <PlanFacts p={p} currentName={ward.unit.name} />
        <PlanDocumentActions planId={p.plan.id} session={c.get("session")} />
        <PlanProgress
          p={p}
          progress={await planProgress(db.kysely, p.plan.id, asOf ?? today)}
          staff
          leadUnit={leadUnit}
          state={stateFilter.data}
          asOf={asOf}
        />
        <PlanBudgetSection {...(await staffBudgetView(db.kysely, p.plan.id, sessionOf(c).user))} />
        <PlanContent p={p} base="/quan-tri" />
      </Layout>,
    );
  });

  return app;
}
