/**
 * Who may read a stored file, over HTTP on every database: a role × file-kind matrix through the file store's one
 * route. A citizen's attachment goes exactly to those who may open its item (never a viewer, never an officer of
 * another unit); the evidence of a task update or an activity to the ward's staff; another ward's file to nobody
 * here. A refusal is a 403 or a 404 page, never the bytes; an allowed download is byte-equal to the upload.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Kysely } from "kysely";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import type { Role } from "../src/core/auth/roles.ts";
import { backfillFileOwners } from "../src/core/db/migrations/20261206-016-file-owners.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { adminUnitInForce } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan, sendFeedbackForm } from "./helpers/fixtures.ts";

const CODE = /PA-20\d\d-[0-9A-Z]{5,6}/;
const enc = (s: string) => new TextEncoder().encode(s);
/** A small, plain PDF whose bytes differ by `tag`, so each download is compared with its own upload. */
const pdf = (tag: string) =>
  enc(
    `%PDF-1.4\n% ${tag}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
const png = (tag: string) =>
  new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52],
    ...[0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89],
    ...enc(tag),
  ]);

type Who = "admin" | "leader" | "coordinator" | "officerAssigned" | "officerOther" | "viewer" | "otherWardCoordinator";
type Kind = "assignedAttachment" | "newAttachment" | "updateEvidence" | "activityEvidence" | "otherWardAttachment";

/** Evidence: every staff member of the ward, whatever their role or unit; nobody of another ward. */
const WARD_STAFF_ONLY: Record<Who, 200 | 404> = {
  admin: 200,
  leader: 200,
  coordinator: 200,
  officerAssigned: 200,
  officerOther: 200,
  viewer: 404,
  otherWardCoordinator: 404,
};

/** What each of them gets: the bytes (200), a refusal they may know of (403), or nothing at all (404). */
const EXPECTED: Record<Kind, Record<Who, 200 | 403 | 404>> = {
  // An item assigned to Văn hóa – Xã hội: its officer handles it; the finance officer and the viewer may not.
  assignedAttachment: {
    admin: 200,
    leader: 200,
    coordinator: 200,
    officerAssigned: 200,
    officerOther: 403,
    viewer: 404,
    otherWardCoordinator: 404,
  },
  // A new item, not yet assigned: no officer may open it.
  newAttachment: {
    admin: 200,
    leader: 200,
    coordinator: 200,
    officerAssigned: 403,
    officerOther: 403,
    viewer: 404,
    otherWardCoordinator: 404,
  },
  updateEvidence: WARD_STAFF_ONLY,
  activityEvidence: WARD_STAFF_ONLY,
  // Sent to Phường Trà Câu: nobody of Đức Phổ sees it, whatever their role.
  otherWardAttachment: {
    admin: 404,
    leader: 404,
    coordinator: 404,
    officerAssigned: 404,
    officerOther: 404,
    viewer: 404,
    otherWardCoordinator: 200,
  },
};

for (const target of testDatabases()) {
  describe(`stored files are served only through their owner's rule (${target.name})`, () => {
    let w: TestWorld;
    let app: TestWorld["app"];
    const _ip = 0;
    const as = new Map<Who, Browser>();
    const files = new Map<Kind, { id: number; bytes: Uint8Array }>();

    /** The public feedback form of a ward (`base` "" or "/w/{code}"), sent with one file. */
    const sendFeedback = async (base: string, file: { name: string; type: string; bytes: Uint8Array }) => {
      const res = await sendFeedbackForm(app, [file], { base });
      assert.equal(res.status, 200, `the feedback is filed at ${base || "/"}`);
      const code = CODE.exec(await res.text())?.[0];
      assert.ok(code, "the receipt shows a tracking code");
      const item = await w.db.kysely
        .selectFrom("feedback_items")
        .innerJoin("feedback_files", "feedback_files.feedback_id", "feedback_items.id")
        .select(["feedback_items.id", "feedback_files.file_id"])
        .where("feedback_items.code", "=", code)
        .executeTakeFirstOrThrow();
      return { itemId: item.id, fileId: item.file_id };
    };

    /** The id of the last stored file linked from a staff page. */
    const lastFileLink = async (b: Browser, page: string) => {
      const ids = [...(await (await b.get(page)).text()).matchAll(/\/quan-tri\/tep\/(\d+)/g)].map((m) => Number(m[1]));
      assert.ok(ids.length > 0, `${page} links its evidence`);
      return Math.max(...ids);
    };

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      const today = vnToday(w.now());
      const staff: [Who, Role, string?][] = [
        ["admin", "admin"],
        ["leader", "leader"],
        ["coordinator", "coordinator"],
        ["officerAssigned", "officer", "culture_social"],
        ["officerOther", "officer", "finance"],
      ];
      for (const [who, role, unit] of staff) {
        await w.createStaff(`tep${who.toLowerCase()}`, role, unit);
        as.set(who, await logIn(app, `tep${who.toLowerCase()}`, pw(`tep${who.toLowerCase()}`)));
      }
      // The province's read-only account: files are served by the ward's own rules, to the ward's staff only.
      await w.createProvinceStaff("tepviewer", "viewer");
      as.set("viewer", await logIn(app, "tepviewer", pw("tepviewer")));
      // Phường Trà Câu (21451), another ward of the same deployment, with its own coordinator.
      const otherWard = await adminUnitInForce(w.db.kysely, "21451", today);
      assert.ok(otherWard, "21451 is in the register");
      for (const [who, role] of [["otherWardCoordinator", "coordinator"]] as const) {
        const username = `tep${who.toLowerCase()}`;
        const r = await createUser(
          w.db.kysely,
          SYSTEM_ACTOR,
          { username, displayName: username, password: pw(username), role, wardId: otherWard.id, orgUnitId: null },
          w.now(),
        );
        assert.ok(r.ok, "the other ward's account is created");
        as.set(who, await logIn(app, username, pw(username)));
      }
      const coordinator = as.get("coordinator") as Browser;

      // Citizens' attachments: one item walked to Văn hóa – Xã hội, one left new, one sent to the other ward.
      const assigned = { bytes: pdf("giao-don-vi") };
      const a = await sendFeedback("", { name: "don.pdf", type: "application/pdf", ...assigned });
      for (const [step, form] of [
        ["vao-so", {}],
        ["phan-loai", { classification: "in_scope" }],
        ["giao", { unitId: String(w.unitIds.get("culture_social")) }],
      ] as const)
        assert.equal((await coordinator.post(`/quan-tri/phan-anh/${a.itemId}/${step}`, form)).status, 303, step);
      files.set("assignedAttachment", { id: a.fileId, ...assigned });
      const fresh = { bytes: png("moi") };
      files.set("newAttachment", {
        id: (await sendFeedback("", { name: "anh.png", type: "image/png", ...fresh })).fileId,
        ...fresh,
      });
      const elsewhere = { bytes: pdf("phuong-khac") };
      files.set("otherWardAttachment", {
        id: (await sendFeedback("/w/21451", { name: "khac.pdf", type: "application/pdf", ...elsewhere })).fileId,
        ...elsewhere,
      });

      // Evidence: a progress update and an activity on a task of the seed plan, by the coordinator.
      const task = { id: await importSeedPlan(w) };
      const update = new FormData();
      update.set("status", "in_progress");
      update.set("note", "Đã họp triển khai");
      const minutes = png("bien-ban-hop");
      update.append("files", new File([minutes], "bien-ban.png"));
      assert.equal((await coordinator.post(`/quan-tri/nhiem-vu/${task.id}/cap-nhat`, update)).status, 303);
      files.set("updateEvidence", {
        id: await lastFileLink(coordinator, `/quan-tri/nhiem-vu/${task.id}`),
        bytes: minutes,
      });
      const activity = new FormData();
      activity.set("orgUnitId", String(w.unitIds.get("radio")));
      activity.set("channelKind", "radio");
      activity.set("title", "Bản tin thủ tục đăng ký khai sinh");
      activity.set("occurredOn", today);
      const photo = pdf("ban-tin");
      activity.append("files", new File([photo], "ban-tin.pdf"));
      assert.equal((await coordinator.post(`/quan-tri/nhiem-vu/${task.id}/hoat-dong`, activity)).status, 303);
      files.set("activityEvidence", {
        id: await lastFileLink(coordinator, `/quan-tri/nhiem-vu/${task.id}`),
        bytes: photo,
      });
      assert.notEqual(files.get("activityEvidence")?.id, files.get("updateEvidence")?.id, "two evidence files");
    });
    after(async () => w.cleanup());

    for (const kind of Object.keys(EXPECTED) as Kind[]) {
      test(`${kind}: each role gets what the owning record allows`, async () => {
        const file = files.get(kind);
        assert.ok(file, `${kind} was stored`);
        for (const [who, expected] of Object.entries(EXPECTED[kind]) as [Who, 200 | 403 | 404][]) {
          const res = await (as.get(who) as Browser).get(`/quan-tri/tep/${file.id}`);
          assert.equal(res.status, expected, `${who} → ${kind}`);
          const body = new Uint8Array(await res.arrayBuffer());
          if (expected === 200) assert.deepEqual(body, file.bytes, `${who} gets the bytes of ${kind} unchanged`);
          else {
            assert.match(res.headers.get("content-type") ?? "", /^text\/html/, `${who} gets an error page`);
            assert.ok(!Buffer.from(body).includes(Buffer.from(file.bytes)), `${who} never gets the bytes of ${kind}`);
          }
        }
        const anonymous = await app.request(`/quan-tri/tep/${file.id}`);
        assert.equal(anonymous.status, 303, "anonymous visitors are sent to log in");
      });
    }

    test("migration 016 gives files stored before it the owner their link rows name", async () => {
      const owners = () =>
        w.db.kysely.selectFrom("stored_files").select(["id", "owner_kind", "owner_id"]).orderBy("id").execute();
      const now = await owners();
      assert.deepEqual(
        new Set(now.map((r) => r.owner_kind)),
        new Set(["feedback", "task_update", "activity"]),
        "every kind is present",
      );
      // As a database from before 016 holds them: no owner on any row.
      await w.db.kysely.updateTable("stored_files").set({ owner_kind: null, owner_id: null }).execute();
      const coordinator = as.get("coordinator") as Browser;
      const attachment = files.get("assignedAttachment")?.id;
      assert.equal(
        (await coordinator.get(`/quan-tri/tep/${attachment}`)).status,
        404,
        "an ownerless file is not served",
      );
      await backfillFileOwners(w.db.kysely as unknown as Kysely<unknown>);
      assert.deepEqual(await owners(), now, "each file has its owner back");
      assert.equal((await coordinator.get(`/quan-tri/tep/${attachment}`)).status, 200);
    });

    test("a file without an owner (or of a kind nobody registered) is served to nobody", async () => {
      const source = files.get("newAttachment");
      assert.ok(source, "a stored file to copy");
      const row = await w.db.kysely
        .selectFrom("stored_files")
        .selectAll()
        .where("id", "=", source.id)
        .executeTakeFirstOrThrow();
      const { id: _id, ...copy } = row;
      for (const owner of [
        { owner_kind: null, owner_id: null },
        { owner_kind: "unknown", owner_id: 1 },
      ]) {
        const orphan = await w.db.kysely
          .insertInto("stored_files")
          .values({ ...copy, ...owner })
          .returning("id")
          .executeTakeFirstOrThrow();
        const res = await (as.get("admin") as Browser).get(`/quan-tri/tep/${orphan.id}`);
        assert.equal(res.status, 404, `owner ${owner.owner_kind}: not found`);
      }
    });
  });
}
