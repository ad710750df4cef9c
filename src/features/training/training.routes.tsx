/**
 * Staff routes of the training and commendations lists (`/quan-tri/dao-tao`): read by the office, leaders and
 * administrators, changed by the office (coordinators); XLSX downloads. Never mounted on a public path.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { can, type Role } from "../../core/auth/roles.ts";
import { XLSX_TYPE } from "../../core/documents/xlsx-writer.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { type FormValues, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import { periodQuery, validate } from "../../core/web/validation.ts";
import { orgUnitsWithAliases } from "../units/units.service.ts";
import {
  commendationList,
  commendationRecord,
  type Failure,
  type ListKind,
  listXlsx,
  type PeriodFilter,
  periodRecords,
  removeRecord,
  saveCommendation,
  saveTraining,
  trainingList,
  trainingRecord,
} from "./training.service.ts";
import { BASE, EditRecordPage, type FormState, type PeriodView, TrainingPage } from "./training.views.tsx";

type C = Context<AppEnv>;

const SAVED: Record<string, string> = {
  "bd-them": "Đã thêm vào danh sách bồi dưỡng.",
  "kt-them": "Đã thêm khen thưởng.",
  sua: "Đã lưu thay đổi.",
  xoa: "Đã xóa.",
};
const PATH: Record<ListKind, string> = { training: "boi-duong", commendation: "khen-thuong" };

const who = (c: C) => ({ actor: actorOf(c), ward: c.get("ward"), today: todayOf(c) });
const unitsOf = async (c: C) =>
  (await orgUnitsWithAliases(c.get("deps").db.kysely, c.get("ward").unit.id, todayOf(c))).map((u) => ({
    id: u.id,
    name: u.name,
  }));

/** `?tu=…&den=…&danh-sach=…`: one list's records of a period, as a report's training figure counts them. */
const periodFilterQuery = periodQuery({
  "danh-sach": z.enum(["boi-duong", "khen-thuong"], { error: "Danh sách chỉ là “boi-duong” hoặc “khen-thuong”." }),
  "tham-du": z.literal("co", { error: "Lọc tham dự chỉ là “co”." }).optional(),
  "doi-tuong": z.enum(["ca-nhan", "tap-the"], { error: "Đối tượng chỉ là “ca-nhan” hoặc “tap-the”." }).optional(),
});

async function listPage(c: C, forms: { training?: FormState; commendation?: FormState } = {}) {
  const db = c.get("deps").db.kysely;
  const ward = c.get("ward");
  const query = c.req.query();
  let period: PeriodView | null = null;
  if (query.tu !== undefined || query.den !== undefined || query["danh-sach"] !== undefined) {
    const parsed = validate(periodFilterQuery, query);
    if (!parsed.ok) throw new AppError(400, "bad_request", Object.values(parsed.errors)[0] ?? "Bộ lọc không hợp lệ.");
    const f = parsed.value;
    const filter: PeriodFilter = {
      from: f.tu,
      to: f.den,
      list: f["danh-sach"] === "boi-duong" ? "training" : "commendation",
      attendedOnly: f["tham-du"] === "co",
      recipient: f["doi-tuong"] === "ca-nhan" ? "person" : f["doi-tuong"] === "tap-the" ? "unit" : undefined,
    };
    const records = await periodRecords(db, ward, filter);
    period = { filter, figures: records.figures };
    return c.html(
      <TrainingPage
        ward={ward}
        session={c.get("session")}
        training={records.training}
        commendations={records.commendations}
        units={[]}
        mayManage={false}
        trainingForm={{ values: {}, errors: {} }}
        commendationForm={{ values: {}, errors: {} }}
        period={period}
      />,
    );
  }
  return c.html(
    <TrainingPage
      ward={ward}
      session={c.get("session")}
      training={await trainingList(db, ward)}
      commendations={await commendationList(db, ward)}
      units={await unitsOf(c)}
      mayManage={can(sessionOf(c).user.role as Role, "training.manage")}
      trainingForm={forms.training ?? { values: {}, errors: {} }}
      commendationForm={forms.commendation ?? { values: {}, errors: {} }}
      saved={SAVED[c.req.query("da-luu") ?? ""]}
    />,
  );
}

/** The form of a stored record, as strings. */
function valuesOf(kind: ListKind, r: Record<string, unknown>): FormValues {
  const s = (v: unknown) => (v == null ? "" : String(v));
  return kind === "training"
    ? {
        personName: s(r.person_name),
        position: s(r.position),
        orgUnitId: s(r.org_unit_id),
        course: s(r.course),
        organiser: s(r.organiser),
        startsOn: s(r.starts_on),
        endsOn: s(r.ends_on),
        attendance: s(r.attendance),
      }
    : {
        recipientKind: s(r.recipient_kind),
        personName: s(r.person_name),
        position: s(r.position),
        orgUnitId: s(r.org_unit_id),
        form: s(r.form),
        decision: s(r.decision),
        decidedOn: s(r.decided_on),
        reason: s(r.reason),
      };
}

const thrown = (r: Failure) => new AppError(r.status, r.status === 404 ? "not_found" : "bad_request", r.errors._ ?? "");

export function trainingStaffRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/dao-tao", requireStaff, requireCsrf, requireAction("training.read"));
  app.use("/dao-tao/*", requireStaff, requireCsrf, requireAction("training.read"));
  const manage = requireAction("training.manage");

  app.get("/dao-tao", (c) => listPage(c));

  for (const kind of ["training", "commendation"] as const) {
    const path = `/dao-tao/${PATH[kind]}`;
    const save = kind === "training" ? saveTraining : saveCommendation;

    app.get(`${path}.xlsx`, async (c) => {
      const bytes = await listXlsx(c.get("deps").db.kysely, c.get("ward"), kind);
      c.header("content-type", XLSX_TYPE);
      c.header("content-disposition", `attachment; filename="${PATH[kind]}.xlsx"`);
      c.header("cache-control", "no-store");
      return c.body(new Uint8Array(bytes));
    });

    app.post(path, manage, async (c) => {
      const values = await readFormValues(c);
      const r = await save(c.get("deps").db.kysely, who(c), null, values, c.get("deps").clock());
      if (!r.ok) {
        if (r.status !== 400) throw thrown(r);
        c.status(400);
        return listPage(c, { [kind]: { values, errors: r.errors } });
      }
      return c.redirect(`${BASE}?da-luu=${kind === "training" ? "bd" : "kt"}-them`, 303);
    });

    app.get(`${path}/:id{[0-9]+}`, manage, async (c) => {
      const db = c.get("deps").db.kysely;
      const id = Number(c.req.param("id"));
      const r =
        kind === "training"
          ? await trainingRecord(db, c.get("ward"), id)
          : await commendationRecord(db, c.get("ward"), id);
      if (!r) throw notFound("Không tìm thấy bản ghi.");
      return c.html(
        <EditRecordPage
          ward={c.get("ward")}
          session={c.get("session")}
          kind={kind}
          id={id}
          state={{ values: valuesOf(kind, r), errors: {} }}
          units={await unitsOf(c)}
        />,
      );
    });

    app.post(`${path}/:id{[0-9]+}`, manage, async (c) => {
      const id = Number(c.req.param("id"));
      const values = await readFormValues(c);
      const r = await save(c.get("deps").db.kysely, who(c), id, values, c.get("deps").clock());
      if (!r.ok) {
        if (r.status !== 400) throw thrown(r);
        c.status(400);
        return c.html(
          <EditRecordPage
            ward={c.get("ward")}
            session={c.get("session")}
            kind={kind}
            id={id}
            state={{ values, errors: r.errors }}
            units={await unitsOf(c)}
          />,
        );
      }
      return c.redirect(`${BASE}?da-luu=sua`, 303);
    });

    app.post(`${path}/:id{[0-9]+}/xoa`, manage, async (c) => {
      const r = await removeRecord(
        c.get("deps").db.kysely,
        who(c),
        kind,
        Number(c.req.param("id")),
        c.get("deps").clock(),
      );
      if (!r.ok) throw thrown(r);
      return c.redirect(`${BASE}?da-luu=xoa`, 303);
    });
  }
  return app;
}
