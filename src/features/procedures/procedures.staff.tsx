/**
 * Staff pages of the procedure catalogue (coordinator, administrator): board changes and review reminders,
 * announcing decisions (abolish, replace), local values of the ward. Guards are applied per route.
 */
import { type Context, Hono } from "hono";
import type { Actor } from "../../core/audit.ts";
import { isOperator } from "../../core/auth/owners.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireOperator, requireStaff } from "../../core/web/middleware.ts";
import { formFields } from "../../core/web/validation.ts";
import {
  boardChanges,
  latestRecordOf,
  procedureForWard,
  reviewReminders,
  wardOverride,
} from "./procedures.catalogue.ts";
import { procedureChangesRoutes } from "./procedures.changes.tsx";
import {
  applyDecision,
  type DecisionChange,
  markBoardPrinted,
  markReviewed,
  saveOverride,
} from "./procedures.lifecycle.ts";
import { CODE_PARAM } from "./procedures.public.tsx";
import {
  DecisionForm,
  type DecisionFormValues,
  type OverrideValues,
  REMINDERS_PER_PAGE,
  StaffOverview,
  StaffProcedure,
} from "./views/staff.tsx";

const CODE = /^\d+\.\d{6}$/;

const actorOf = (c: Context<AppEnv>): Actor => {
  const u = c.get("session")?.user;
  return { userId: u?.id ?? null, name: u?.username ?? "?", wardId: u?.ward_id ?? null };
};

const int = (value: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
};

function flashOf(q: Record<string, string>): string | null {
  if (q["da-in"]) return "Đã ghi nhận lần in bảng niêm yết.";
  if (q["da-ra-soat"]) return `Đã đánh dấu rà soát thủ tục ${q["da-ra-soat"]}.`;
  if (q["quyet-dinh"]) return `Đã áp dụng quyết định ${q["quyet-dinh"]}.`;
  const imported = /^(\d+)\.(\d+)\.(\d+)$/.exec(q["da-nhap"] ?? "");
  if (imported) return `Đã nhập: ${imported[1]} mới, ${imported[2]} thay đổi, ${imported[3]} không đổi.`;
  return null;
}

/** Parse the decision form's code lists: abolished codes, and "old → new" replacement pairs. */
function parseCodes(abolish: string, replace: string) {
  const errors: Record<string, string> = {};
  const abolished = abolish.split(/[\s,;]+/).filter(Boolean);
  const badCode = abolished.find((code) => !CODE.test(code));
  if (badCode) errors.abolish = `Mã thủ tục «${badCode}» không đúng dạng (ví dụ 1.000253).`;
  const pairs: { from: string; to: string }[] = [];
  for (const line of replace
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^(\d+\.\d{6})\s*(?:→|->|=>|:|,|\s)\s*(\d+\.\d{6})$/.exec(line);
    if (!m || m[1] === m[2]) errors.replace = `Dòng «${line}» cần dạng: mã cũ → mã mới (hai mã khác nhau).`;
    else pairs.push({ from: m[1] as string, to: m[2] as string });
  }
  return { abolished, pairs, errors };
}

export function proceduresStaffRoutes() {
  const app = new Hono<AppEnv>();
  const manage = requireAction("procedures.manage");
  app.route("/", procedureChangesRoutes());

  app.get("/thu-tuc", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const q = c.req.query();
    if (q.ma !== undefined) {
      const code = q.ma.trim();
      if (CODE.test(code)) return c.redirect(`/quan-tri/thu-tuc/${code}`, 303);
    }
    const ward = c.get("ward");
    const months = int(q.thang, 6, 1, 60);
    const reminders = await reviewReminders(db.kysely, ward, clock(), months, c.get("deps").config.procedureLevels);
    const pages = Math.max(1, Math.ceil(reminders.stale.length / REMINDERS_PER_PAGE));
    const s = c.get("session");
    return c.html(
      <Layout title="Thủ tục hành chính" ward={ward} session={s} staff>
        <StaffOverview
          csrf={s?.csrfToken ?? ""}
          flash={q.ma !== undefined ? `Mã «${q.ma}» không đúng dạng (ví dụ 1.000253).` : flashOf(q)}
          board={await boardChanges(db.kysely, ward, c.get("deps").config.procedureLevels)}
          reminders={reminders}
          months={months}
          page={int(q.trang, 1, 1, pages)}
          national={isOperator(s?.user)}
        />
      </Layout>,
    );
  });

  app.post("/thu-tuc/da-in", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    await markBoardPrinted(db.kysely, actorOf(c), c.get("ward").unit.id, clock());
    return c.redirect("/quan-tri/thu-tuc?da-in=1", 303);
  });

  app.post(`/thu-tuc/${CODE_PARAM}/ra-soat`, requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const code = c.req.param("code");
    if (!(await markReviewed(db.kysely, actorOf(c), c.get("ward").unit.id, code, clock()))) throw notFound();
    const back = formFields(await c.req.parseBody()).tiep ?? "";
    // Only back to a page of this feature: never an open redirect.
    const target = /^\/quan-tri\/thu-tuc(?:[/?][\w./?=&%-]*)?$/.test(back) ? back : "/quan-tri/thu-tuc";
    return c.redirect(`${target}${target.includes("?") ? "&" : "?"}da-ra-soat=${code}`, 303);
  });

  const decisionPage = (c: Context<AppEnv>, values: DecisionFormValues, errors: Record<string, string>) => {
    const s = c.get("session");
    return c.html(
      <Layout title="Áp dụng quyết định công bố" ward={c.get("ward")} session={s} staff>
        <DecisionForm csrf={s?.csrfToken ?? ""} values={values} errors={errors} />
      </Layout>,
    );
  };

  // Announcing decisions change national and provincial procedures: the operator's, never one ward's.
  app.get("/thu-tuc/quyet-dinh", requireStaff, requireCsrf, manage, requireOperator, (c) => decisionPage(c, {}, {}));

  app.post("/thu-tuc/quyet-dinh", requireStaff, requireCsrf, manage, requireOperator, async (c) => {
    const { db, clock } = c.get("deps");
    const v = formFields(await c.req.parseBody()) as DecisionFormValues;
    const { abolished, pairs, errors } = parseCodes(v.abolish ?? "", v.replace ?? "");
    const changes: DecisionChange[] = abolished.map((code) => ({ type: "abolished", code }));
    for (const pair of pairs) {
      const record = await latestRecordOf(db.kysely, pair.to);
      if (!record) errors.replace = `Chưa có thủ tục mã ${pair.to}: hãy nhập nội dung thủ tục mới trước.`;
      else changes.push({ type: "replaced", record, replacesCode: pair.from });
    }
    if (!errors.abolish && !errors.replace && changes.length === 0)
      errors.abolish = "Nêu ít nhất một thủ tục bị bãi bỏ hoặc thay thế.";
    const fields = {
      number: v.number ?? "",
      decidedOn: v.decidedOn ?? "",
      effectiveFrom: v.effectiveFrom ?? "",
      issuer: v.issuer ?? "",
      summary: v.summary ?? "",
    };
    if (Object.keys(errors).length === 0) {
      const r = await applyDecision(db.kysely, actorOf(c), fields, changes, clock());
      if (r.ok) return c.redirect(`/quan-tri/thu-tuc?quyet-dinh=${encodeURIComponent(fields.number.trim())}`, 303);
      for (const [key, message] of Object.entries(r.errors)) {
        // "changes.N": the Nth change, abolitions first, then replacements.
        const n = /^changes\.(\d+)$/.exec(key);
        errors[n ? (Number(n[1]) < abolished.length ? "abolish" : "replace") : key === "changes" ? "abolish" : key] ??=
          message;
      }
    }
    c.status(400);
    return decisionPage(c, v, errors);
  });

  const procedurePage = async (c: Context<AppEnv>, values: OverrideValues | null, errors: Record<string, string>) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const code = c.req.param("code") ?? "";
    const p = await procedureForWard(db.kysely, code, ward, vnToday(clock()));
    if (!p) throw notFound("Không tìm thấy thủ tục hành chính này.");
    const own = await wardOverride(db.kysely, code, ward.unit.id);
    const s = c.get("session");
    const q = c.req.query();
    return c.html(
      <Layout title={p.versions.at(-1)?.name ?? code} ward={ward} session={s} staff>
        <StaffProcedure
          p={p}
          ward={ward}
          csrf={s?.csrfToken ?? ""}
          values={
            values ?? {
              fee: own?.fee ?? "",
              receivingAddress: own?.receiving_address ?? "",
              openingHours: own?.opening_hours ?? "",
              note: own?.note ?? "",
            }
          }
          errors={errors}
          flash={q["da-luu"] ? "Đã lưu thông tin riêng của phường." : flashOf(q)}
        />
      </Layout>,
    );
  };

  app.get(`/thu-tuc/${CODE_PARAM}`, requireStaff, requireCsrf, manage, (c) => procedurePage(c, null, {}));

  app.post(`/thu-tuc/${CODE_PARAM}/thong-tin-rieng`, requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const code = c.req.param("code");
    const v = formFields(await c.req.parseBody()) as OverrideValues;
    const r = await saveOverride(db.kysely, actorOf(c), c.get("ward").unit.id, code, v, clock());
    if (r.ok) return c.redirect(`/quan-tri/thu-tuc/${code}?da-luu=1`, 303);
    if (r.errors.code) throw notFound(r.errors.code);
    c.status(400);
    return procedurePage(c, v, r.errors);
  });

  return app;
}
