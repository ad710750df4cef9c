/**
 * Staff pages of events under /quan-tri/su-kien: list (`event.read`), new and corrected drafts (`event.write`, an
 * officer for their own unit), one event with the steps this user may take (events.rules.ts decides), and the
 * sign-in sheet. Every POST needs the session's CSRF token; every read and write is of the user's own ward.
 */

import { type Context, Hono } from "hono";
import type { Role } from "../../core/auth/roles.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { sendDocument } from "../../core/web/document-response.ts";
import { notFound } from "../../core/web/errors.ts";
import { type FormState, type FormValues, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { photoUpload, servePhoto } from "../../core/web/photos.tsx";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { formFields } from "../../core/web/validation.ts";
import { contentAreasOfWards } from "../plans/plans.sql.ts";
import { orgUnitsInForce } from "../units/units.sql.ts";
import { writesFor } from "./events.rules.ts";
import { createEvent, type EventStaff, editEvent, moveEvent } from "./events.service.ts";
import * as q from "./events.sql.ts";
import { EventFormPage, EventListPage, EventPage, SignInSheet, STEP_OF_PATH } from "./events.views.tsx";
import { minutesClosed, minutesDocumentOf, saveMinutes } from "./minutes.service.ts";
import { MinutesPage, minutesValues } from "./minutes.views.tsx";
import { addEventPhoto, removeEventPhoto } from "./photos.service.ts";

type C = Context<AppEnv>;

const staffOf = (c: C): EventStaff => {
  const u = sessionOf(c).user;
  return { id: u.id, username: u.username, ward_id: u.ward_id, role: u.role as Role, org_unit_id: u.org_unit_id };
};

const SAVED: Record<string, string> = {
  moi: "Đã lưu dự thảo sự kiện.",
  sua: "Đã lưu.",
  trinh: "Đã trình Văn phòng.",
  "xem-xet": "Đã chuyển lãnh đạo duyệt.",
  "tra-lai": "Đã trả lại để sửa.",
  duyet: "Đã duyệt; sự kiện được thông báo công khai.",
  "da-to-chuc": "Đã ghi nhận: sự kiện được tính là một hoạt động tuyên truyền.",
  huy: "Đã hủy sự kiện.",
  "bien-ban": "Đã lưu biên bản.",
  anh: "Đã thêm ảnh.",
  "bo-anh": "Đã bỏ ảnh.",
};

/** The form's fields, with the checked content areas (a repeated field) joined for the page and kept as a list. */
async function readEventForm(c: C): Promise<{ values: FormValues; areaIds: string[] }> {
  const body = await c.req.parseBody({ all: true });
  const raw = body.areaIds;
  const areaIds = (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).filter(
    (v): v is string => typeof v === "string",
  );
  const values = formFields(Object.fromEntries(Object.entries(body).filter(([k]) => k !== "areaIds")));
  delete values._csrf;
  return { values: { ...values, areaIds: areaIds.join(",") }, areaIds };
}

/** The draft's stored values as the form shows them. */
const formValuesOf = (e: q.EventRow): FormValues => ({
  title: e.title,
  kind: e.kind,
  orgUnitId: String(e.org_unit_id),
  place: e.place,
  startsOn: formatDate(e.starts_on),
  startsAt: e.starts_at,
  endsAt: e.ends_at,
  partners: (JSON.parse(e.partners_json) as string[]).join("\n"),
  areaIds: (JSON.parse(e.area_ids_json) as number[]).join(","),
  expectedAudience: e.expected_audience == null ? "" : String(e.expected_audience),
  description: e.description,
});

export function eventsStaffRoutes() {
  const app = new Hono<AppEnv>();
  const read = [requireStaff, requireCsrf, requireAction("event.read")] as const;
  const write = [requireStaff, requireCsrf, requireAction("event.write")] as const;
  const idOf = (c: C) => Number(c.req.param("id"));

  const loadOwn = async (c: C) => {
    const e = await q.eventOf(c.get("deps").db.kysely, [sessionOf(c).user.ward_id], idOf(c));
    if (!e) throw notFound("Không tìm thấy sự kiện.");
    return e;
  };

  const formPage = async (c: C, state: FormState, status: 200 | 400 | 403 | 409, event?: q.EventRow) => {
    const db = c.get("deps").db.kysely;
    const ward = c.get("ward");
    return c.html(
      <EventFormPage
        ward={ward}
        session={sessionOf(c)}
        state={state}
        units={await orgUnitsInForce(db, ward.unit.id, todayOf(c))}
        areas={await contentAreasOfWards(db, ward.scopeIds)}
        event={event}
      />,
      status,
    );
  };

  const itemPage = async (c: C, state: FormState, status: 200 | 400 | 403 | 404 | 409) => {
    const db = c.get("deps").db.kysely;
    const e = await loadOwn(c);
    const saved = c.req.query("da-luu");
    return c.html(
      <EventPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        event={e}
        areas={await contentAreasOfWards(db, c.get("ward").scopeIds)}
        steps={await q.flow.stepsOf(db, e.id)}
        minutes={(await q.minutesOf(db, [e.ward_id], e.id)) ?? null}
        photos={await q.photosOf(db, e.id)}
        state={state}
        saved={saved ? SAVED[saved] : undefined}
      />,
      status,
    );
  };

  app.get("/su-kien", ...read, async (c) =>
    c.html(
      <EventListPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        events={await q.eventsOf(c.get("deps").db.kysely, [sessionOf(c).user.ward_id], { announcedOnly: false })}
        today={todayOf(c)}
      />,
    ),
  );

  app.get("/su-kien/moi", ...write, async (c) => {
    const u = sessionOf(c).user;
    return formPage(
      c,
      { values: { orgUnitId: String(u.org_unit_id ?? ""), startsAt: "08:00", endsAt: "10:00" }, errors: {} },
      200,
    );
  });

  app.post("/su-kien/moi", ...write, async (c) => {
    const { values, areaIds } = await readEventForm(c);
    const { db, clock } = c.get("deps");
    const r = await createEvent(db.kysely, staffOf(c), c.get("ward"), { ...values, areaIds }, clock(), todayOf(c));
    if (!r.ok) return formPage(c, { values, errors: pageErrors(r.errors, "", "su-kien") }, 400);
    return c.redirect(`/quan-tri/su-kien/${r.value.id}?da-luu=moi`, 303);
  });

  app.get("/su-kien/:id{[0-9]+}", ...read, async (c) => itemPage(c, { values: {}, errors: {} }, 200));

  app.get("/su-kien/:id{[0-9]+}/sua", ...write, async (c) => {
    const e = await loadOwn(c);
    return formPage(c, { values: formValuesOf(e), errors: {} }, 200, e);
  });

  app.post("/su-kien/:id{[0-9]+}/sua", ...write, async (c) => {
    const e = await loadOwn(c);
    const { values, areaIds } = await readEventForm(c);
    const { db, clock } = c.get("deps");
    const r = await editEvent(db.kysely, staffOf(c), c.get("ward"), e.id, { ...values, areaIds }, clock(), todayOf(c));
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound("Không tìm thấy sự kiện.");
      return formPage(c, { values, errors: pageErrors(r.errors, "", "su-kien") }, status, e);
    }
    return c.redirect(`/quan-tri/su-kien/${e.id}?da-luu=sua`, 303);
  });

  app.get("/su-kien/:id{[0-9]+}/danh-sach-ky", ...read, async (c) => {
    const e = await loadOwn(c);
    const rows = Math.min(200, Math.max(30, e.expected_audience ?? 30));
    return c.html(<SignInSheet ward={c.get("ward")} event={e} rows={rows} />);
  });

  const minutesPage = async (c: C, state: FormState | null, status: 200 | 400 | 403 | 409) => {
    const e = await loadOwn(c);
    const m = await q.minutesOf(c.get("deps").db.kysely, [e.ward_id], e.id);
    const closed =
      minutesClosed(e.status) ??
      (writesFor(staffOf(c), e.org_unit_id) ? null : "Chỉ đơn vị tổ chức sự kiện và Văn phòng ghi biên bản.");
    const saved = c.req.query("da-luu");
    return c.html(
      <MinutesPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        event={e}
        minutes={m}
        state={state ?? { values: minutesValues(e, m), errors: {} }}
        closed={closed}
        saved={saved ? SAVED[saved] : undefined}
      />,
      status,
    );
  };

  app.get("/su-kien/:id{[0-9]+}/bien-ban", ...read, async (c) => minutesPage(c, null, 200));

  app.post("/su-kien/:id{[0-9]+}/bien-ban", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await saveMinutes(db.kysely, staffOf(c), idOf(c), values, clock());
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy sự kiện.");
      return minutesPage(c, { values, errors: pageErrors(r.errors, "", "bien-ban") }, r.status);
    }
    return c.redirect(`/quan-tri/su-kien/${idOf(c)}/bien-ban?da-luu=bien-ban`, 303);
  });

  for (const format of ["docx", "pdf"] as const)
    app.get(`/su-kien/:id{[0-9]+}/bien-ban.${format}`, ...read, async (c) => {
      const e = await loadOwn(c);
      const m = await q.minutesOf(c.get("deps").db.kysely, [e.ward_id], e.id);
      if (!m) throw notFound("Sự kiện chưa có biên bản.");
      return sendDocument(c, minutesDocumentOf(c.get("ward"), e, m), format, `bien-ban-su-kien-${e.id}`);
    });

  app.get("/su-kien/anh/:id{[0-9]+}", ...read, async (c) => {
    const { db, config } = c.get("deps");
    const p = await q.photoFile(db.kysely, Number(c.req.param("id")));
    if (!p || p.ward_id !== sessionOf(c).user.ward_id) throw notFound("Không tìm thấy ảnh.");
    return servePhoto(c, fileStoreOf({ db, config }), p, "private, no-store");
  });

  app.post("/su-kien/:id{[0-9]+}/anh", ...write, async (c) => {
    const body = await c.req.parseBody();
    const { db, config, clock } = c.get("deps");
    const r = await addEventPhoto(
      { db, config },
      staffOf(c),
      idOf(c),
      await photoUpload(body.photo),
      body.alt,
      clock(),
    );
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy sự kiện.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "", "them-anh") }, r.status);
    }
    return c.redirect(`/quan-tri/su-kien/${idOf(c)}?da-luu=anh#anh`, 303);
  });

  app.post("/su-kien/:id{[0-9]+}/anh/:photo{[0-9]+}/xoa", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    const r = await removeEventPhoto(db.kysely, staffOf(c), idOf(c), Number(c.req.param("photo")), clock());
    if (!r.ok) {
      if (r.status === 404) throw notFound(r.errors._ ?? "Không tìm thấy ảnh.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "", "anh") }, r.status);
    }
    return c.redirect(`/quan-tri/su-kien/${idOf(c)}?da-luu=bo-anh#anh`, 303);
  });

  app.post("/su-kien/:id{[0-9]+}/:step{[a-z-]+}", ...read, async (c) => {
    const step = STEP_OF_PATH[c.req.param("step")];
    if (!step) throw notFound();
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await moveEvent(db.kysely, staffOf(c), idOf(c), step, values, clock(), todayOf(c));
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy sự kiện.");
      const formId =
        step === "hold" ? "da-to-chuc" : step === "send_back" ? "tra-lai" : step === "withdraw" ? "huy" : "";
      const prefix = step === "send_back" || step === "withdraw" ? formId : "";
      return itemPage(c, { values, errors: pageErrors(r.errors, prefix, formId || "su-kien") }, r.status);
    }
    return c.redirect(`/quan-tri/su-kien/${idOf(c)}?da-luu=${c.req.param("step")}`, 303);
  });

  return app;
}
