/**
 * Staff pages of the radio under /quan-tri/phat-thanh: bulletins and the broadcast log (`radio.read`), new and
 * corrected drafts (`radio.write`, an officer for their own unit; "soạn từ dữ liệu" prefills the items), one bulletin
 * with its script and reading side by side, its audio and the steps this user may take, a recording upload, the
 * loudspeaker clusters and the abbreviations. Every POST needs the session's CSRF token; all of the user's own ward.
 */

import { type Context, Hono } from "hono";
import type { Role } from "../../core/auth/roles.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { type FormState, type FormValues, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { formFields } from "../../core/web/validation.ts";
import { channelUnitsOf } from "../events/events.service.ts";
import { draftItems } from "./radio.drafts.ts";
import {
  addCluster,
  createBulletin,
  editBulletin,
  moveBulletin,
  type RadioStaff,
  removeAbbreviation,
  requestAudio,
  retireCluster,
  saveAbbreviation,
  scriptAndReading,
  uploadRecording,
} from "./radio.service.ts";
import * as q from "./radio.sql.ts";
import {
  AbbreviationsPage,
  BulletinFormPage,
  BulletinPage,
  ClustersPage,
  RadioListPage,
  STEP_OF_PATH,
} from "./radio.views.tsx";
import { speechAvailable } from "./speech.ts";

type C = Context<AppEnv>;

const staffOf = (c: C): RadioStaff => {
  const u = sessionOf(c).user;
  return { id: u.id, username: u.username, ward_id: u.ward_id, role: u.role as Role, org_unit_id: u.org_unit_id };
};

const SAVED: Record<string, string> = {
  moi: "Đã lưu dự thảo bản tin.",
  sua: "Đã lưu.",
  trinh: "Đã trình Văn phòng.",
  "xem-xet": "Đã chuyển lãnh đạo duyệt.",
  "tra-lai": "Đã trả lại để sửa.",
  duyet: "Đã duyệt. Giọng đọc đang được tạo ở chế độ nền; tải lại trang sau ít phút để nghe.",
  "da-phat": "Đã ghi nhận buổi phát: bản tin được tính là một hoạt động tuyên truyền.",
  huy: "Đã hủy bản tin.",
  "tao-am-thanh": "Đã yêu cầu tạo giọng đọc; tải lại trang sau ít phút.",
  "ghi-am": "Đã lưu bản ghi âm.",
  "cum-loa": "Đã lưu cụm loa.",
  "viet-tat": "Đã lưu chữ viết tắt.",
};

const formValuesOf = (b: q.BulletinRow, items: { title: string; script: string }[]): FormValues => {
  const v: FormValues = {
    title: b.title,
    orgUnitId: String(b.org_unit_id),
    broadcastOn: formatDate(b.broadcast_on),
    slot: b.slot,
  };
  items.forEach((i, n) => {
    v[`item${n + 1}Title`] = i.title;
    v[`item${n + 1}Script`] = i.script;
  });
  return v;
};

export function radioStaffRoutes() {
  const app = new Hono<AppEnv>();
  const read = [requireStaff, requireCsrf, requireAction("radio.read")] as const;
  const write = [requireStaff, requireCsrf, requireAction("radio.write")] as const;
  const idOf = (c: C) => Number(c.req.param("id"));

  const loadOwn = async (c: C) => {
    const b = await q.bulletinOf(c.get("deps").db.kysely, [sessionOf(c).user.ward_id], idOf(c));
    if (!b) throw notFound("Không tìm thấy bản tin.");
    return b;
  };

  const formPage = async (
    c: C,
    state: FormState,
    status: 200 | 400 | 403 | 409,
    bulletin?: q.BulletinRow,
    draftedSince?: string,
  ) => {
    const db = c.get("deps").db.kysely;
    const ward = c.get("ward");
    return c.html(
      <BulletinFormPage
        ward={ward}
        session={sessionOf(c)}
        state={state}
        units={await channelUnitsOf(db, ward.unit.id, todayOf(c))}
        bulletin={bulletin}
        draftedSince={draftedSince}
      />,
      status,
    );
  };

  const itemPage = async (c: C, state: FormState, status: 200 | 400 | 403 | 404 | 409) => {
    const db = c.get("deps").db.kysely;
    const b = await loadOwn(c);
    const { items, script, reading } = await scriptAndReading(db, b);
    const broadcast = await q.broadcastOf(db, [b.ward_id], b.id);
    const saved = c.req.query("da-luu");
    return c.html(
      <BulletinPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        bulletin={b}
        items={items}
        script={script}
        reading={reading}
        clusters={await q.clustersOf(db, b.ward_id, true)}
        broadcast={broadcast ? { ...broadcast, title: b.title } : null}
        steps={await q.flow.stepsOf(db, b.id)}
        speech={await speechAvailable()}
        state={state}
        saved={saved ? SAVED[saved] : undefined}
        today={todayOf(c)}
      />,
      status,
    );
  };

  app.get("/phat-thanh", ...read, async (c) => {
    const db = c.get("deps").db.kysely;
    const wardId = sessionOf(c).user.ward_id;
    return c.html(
      <RadioListPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        bulletins={await q.bulletinsOf(db, [wardId], {})}
        broadcasts={await q.broadcastsOf(db, [wardId])}
        speech={await speechAvailable()}
      />,
    );
  });

  app.get("/phat-thanh/moi", ...write, async (c) => {
    const u = sessionOf(c).user;
    const today = todayOf(c);
    const values: FormValues = {
      orgUnitId: String(u.org_unit_id ?? ""),
      broadcastOn: formatDate(today),
      slot: "morning",
      title: `Bản tin cải cách hành chính ngày ${formatDate(today)}`,
    };
    if (c.req.query("tu-du-lieu")) {
      const drafted = await draftItems(c.get("deps").db.kysely, c.get("ward"), today);
      drafted.items.forEach((i, n) => {
        values[`item${n + 1}Title`] = i.title;
        values[`item${n + 1}Script`] = i.script;
      });
      return formPage(c, { values, errors: {} }, 200, undefined, drafted.since);
    }
    return formPage(c, { values, errors: {} }, 200);
  });

  app.post("/phat-thanh/moi", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await createBulletin(db.kysely, staffOf(c), c.get("ward"), values, clock(), todayOf(c));
    if (!r.ok) return formPage(c, { values, errors: pageErrors(r.errors, "", "ban-tin") }, 400);
    return c.redirect(`/quan-tri/phat-thanh/${r.value.id}?da-luu=moi`, 303);
  });

  app.get("/phat-thanh/:id{[0-9]+}", ...read, async (c) => itemPage(c, { values: {}, errors: {} }, 200));

  app.get("/phat-thanh/:id{[0-9]+}/sua", ...write, async (c) => {
    const b = await loadOwn(c);
    const items = await q.itemsOf(c.get("deps").db.kysely, [b.id]);
    return formPage(c, { values: formValuesOf(b, items), errors: {} }, 200, b);
  });

  app.post("/phat-thanh/:id{[0-9]+}/sua", ...write, async (c) => {
    const b = await loadOwn(c);
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await editBulletin(db.kysely, staffOf(c), c.get("ward"), b.id, values, clock(), todayOf(c));
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound("Không tìm thấy bản tin.");
      return formPage(c, { values, errors: pageErrors(r.errors, "", "ban-tin") }, status, b);
    }
    return c.redirect(`/quan-tri/phat-thanh/${b.id}?da-luu=sua`, 303);
  });

  app.post("/phat-thanh/:id{[0-9]+}/tao-am-thanh", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    const r = await requestAudio(db.kysely, staffOf(c), idOf(c), clock());
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy bản tin.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "", "ban-tin") }, r.status);
    }
    return c.redirect(`/quan-tri/phat-thanh/${idOf(c)}?da-luu=tao-am-thanh`, 303);
  });

  app.post("/phat-thanh/:id{[0-9]+}/ghi-am", ...write, async (c) => {
    const body = await c.req.parseBody();
    const f = body.recording;
    const file =
      f instanceof File && f.size > 0 ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : null;
    const { db, clock, config } = c.get("deps");
    const r = await uploadRecording(
      { db: db.kysely, files: fileStoreOf({ db, config }) },
      staffOf(c),
      idOf(c),
      file,
      clock(),
    );
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy bản tin.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "", "ghi-am") }, r.status);
    }
    return c.redirect(`/quan-tri/phat-thanh/${idOf(c)}?da-luu=ghi-am`, 303);
  });

  app.post("/phat-thanh/:id{[0-9]+}/:step{[a-z-]+}", ...read, async (c) => {
    const step = STEP_OF_PATH[c.req.param("step")];
    if (!step) throw notFound();
    const body = await c.req.parseBody({ all: true });
    const raw = body.clusterIds;
    const clusterIds = (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).filter(
      (v): v is string => typeof v === "string",
    );
    const values = formFields(Object.fromEntries(Object.entries(body).filter(([k]) => k !== "clusterIds")));
    delete values._csrf;
    const { db, clock } = c.get("deps");
    const r = await moveBulletin(db.kysely, staffOf(c), idOf(c), step, { ...values, clusterIds }, clock(), todayOf(c));
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy bản tin.");
      const formId = step === "air" ? "da-phat" : step === "send_back" ? "tra-lai" : step === "withdraw" ? "huy" : "";
      const prefix = step === "send_back" || step === "withdraw" ? formId : "";
      return itemPage(c, { values, errors: pageErrors(r.errors, prefix, formId || "ban-tin") }, r.status);
    }
    return c.redirect(`/quan-tri/phat-thanh/${idOf(c)}?da-luu=${c.req.param("step")}`, 303);
  });

  const clustersPage = async (c: C, state: FormState, status: 200 | 400) =>
    c.html(
      <ClustersPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        clusters={await q.clustersOf(c.get("deps").db.kysely, sessionOf(c).user.ward_id)}
        state={state}
        saved={c.req.query("da-luu") ? SAVED["cum-loa"] : undefined}
      />,
      status,
    );
  app.get("/phat-thanh/cum-loa", ...read, async (c) => clustersPage(c, { values: {}, errors: {} }, 200));
  app.post("/phat-thanh/cum-loa", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await addCluster(db.kysely, staffOf(c), values, clock());
    if (!r.ok) return clustersPage(c, { values, errors: pageErrors(r.errors, "", "cum-loa") }, 400);
    return c.redirect("/quan-tri/phat-thanh/cum-loa?da-luu=1", 303);
  });
  app.post("/phat-thanh/cum-loa/:id{[0-9]+}/ngung", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    if (!(await retireCluster(db.kysely, staffOf(c), idOf(c), clock()))) throw notFound("Không tìm thấy cụm loa.");
    return c.redirect("/quan-tri/phat-thanh/cum-loa?da-luu=1", 303);
  });

  const abbrPage = async (c: C, state: FormState, status: 200 | 400) =>
    c.html(
      <AbbreviationsPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        rows={await q.abbreviationRowsOf(c.get("deps").db.kysely, sessionOf(c).user.ward_id)}
        state={state}
        saved={c.req.query("da-luu") ? SAVED["viet-tat"] : undefined}
      />,
      status,
    );
  app.get("/phat-thanh/viet-tat", ...read, async (c) => abbrPage(c, { values: {}, errors: {} }, 200));
  app.post("/phat-thanh/viet-tat", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await saveAbbreviation(db.kysely, staffOf(c), values, clock());
    if (!r.ok) return abbrPage(c, { values, errors: pageErrors(r.errors, "", "viet-tat") }, 400);
    return c.redirect("/quan-tri/phat-thanh/viet-tat?da-luu=1", 303);
  });
  app.post("/phat-thanh/viet-tat/:id{[0-9]+}/xoa", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    if (!(await removeAbbreviation(db.kysely, staffOf(c), idOf(c), clock())))
      throw notFound("Không tìm thấy chữ viết tắt.");
    return c.redirect("/quan-tri/phat-thanh/viet-tat?da-luu=1", 303);
  });

  return app;
}
