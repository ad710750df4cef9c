/**
 * The plan page's figures come from one read of the ledger's sums (per pillar, channel and unit) and the plan's rows
 * read once (issue 12: the plan page at national size). After every kind of write to the ledger — an activity on
 * a task (over HTTP), one on the plan, a feature's entry (recordLedgerEntry), its audience counted later, its
 * withdrawal, planless rows attached to the plan — the figures the page and the budget show equal a recomputation
 * from the ledger's rows themselves, and the page says the same; the same on SQLite and PostgreSQL.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import type { Db } from "../src/core/db/connection.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { budgetView } from "../src/features/plans/budget.service.ts";
import {
  attachPlanlessActivities,
  recordLedgerEntry,
  setLedgerAudience,
  withdrawLedgerEntry,
} from "../src/features/plans/ledger.ts";
import { loadPlan } from "../src/features/plans/plans.service.ts";
import { summariseByArea } from "../src/features/plans/progress.ts";
import { planProgress, recordActivity } from "../src/features/plans/tracking.service.ts";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan, leadTaskOf, recordRadioActivity } from "./helpers/fixtures.ts";

/** The statements a database runs while `run` does (SQLite: each prepared; PostgreSQL: each sent). */
async function statementsDuring(db: Db, run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  if (db.sqlite) {
    const conn = db.sqlite;
    const prepare = conn.prepare;
    conn.prepare = ((text: string) => {
      seen.push(text);
      return prepare.call(conn, text);
    }) as typeof conn.prepare;
    try {
      await run();
    } finally {
      conn.prepare = prepare;
    }
    return seen;
  }
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const a = args[0] as string | { text?: string };
    seen.push(typeof a === "string" ? a : (a?.text ?? ""));
    return query.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.query = query;
  }
  return seen;
}

const dots = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

for (const target of testDatabases()) {
  describe(`plan figures equal a recomputation from the ledger after every write (${target.name})`, () => {
    let w: TestWorld;
    let planId = 0;
    let radioTask = 0;
    let radio: Browser;
    let periodFrom = "";
    before(async () => {
      w = await createWorld(target);
      await importSeedPlan(w);
      const plan = await w.db.kysely.selectFrom("plans").select(["id", "period_from"]).executeTakeFirstOrThrow();
      planId = plan.id;
      periodFrom = plan.period_from ?? "2024-01-01";
      radioTask = await leadTaskOf(w, "radio");
      await w.createStaff("daitt2", "officer", "radio");
      radio = await logIn(w.app, "daitt2", pw("daitt2"));
    });
    after(async () => w.cleanup());

    /** The figures recomputed from the plan's ledger rows, one by one. */
    const recompute = async () => {
      const rows = await w.db.kysely.selectFrom("activities").selectAll().where("plan_id", "=", planId).execute();
      const sum = (pick: (r: (typeof rows)[number]) => number | null) => rows.reduce((t, r) => t + (pick(r) ?? 0), 0);
      const group = (key: (r: (typeof rows)[number]) => string) => {
        const m = new Map<string, { count: number; cost: number }>();
        for (const r of rows) {
          const g = m.get(key(r)) ?? { count: 0, cost: 0 };
          g.count++;
          g.cost += Number(r.cost ?? 0);
          m.set(key(r), g);
        }
        return m;
      };
      const pillars = new Map<string | null, { activities: number; audience: number; cost: number }>();
      for (const r of rows) {
        const p = pillars.get(r.pillar) ?? { activities: 0, audience: 0, cost: 0 };
        p.activities++;
        p.audience += Number(r.audience ?? 0);
        p.cost += Number(r.cost ?? 0);
        pillars.set(r.pillar, p);
      }
      return {
        count: rows.length,
        audience: sum((r) => Number(r.audience ?? 0)),
        cost: sum((r) => Number(r.cost ?? 0)),
        byChannel: group((r) => r.channel_kind),
        byUnit: group((r) => String(r.org_unit_id)),
        pillars: [...pillars].map(([pillar, f]) => ({ pillar, ...f })),
      };
    };

    /** Every figure the page shows from the ledger against the recomputation; the page's own sentence too. */
    const check = async (after: string) => {
      const want = await recompute();
      const today = vnToday(w.now());
      const progress = await planProgress(w.db.kysely, planId, today);
      const loaded = await loadPlan(w.db.kysely, planId);
      assert.ok(loaded, `${after}: the plan loads`);
      assert.equal(progress.totals.activities, want.count, `${after}: activities counted on the plan`);
      assert.equal(progress.totals.audience, want.audience, `${after}: people reached`);
      assert.equal(progress.totals.cost, want.cost, `${after}: cost`);
      assert.deepEqual(
        progress.byArea,
        summariseByArea(loaded.areas, want.pillars),
        `${after}: each content area's row sums its pillar's rows`,
      );
      const budget = await budgetView(w.db.kysely, planId);
      assert.equal(budget.comparison.spent, want.cost, `${after}: spent is the ledger's cost`);
      for (const [key, g] of want.byChannel) {
        const row = budget.comparison.byChannel.find((r) => r.key === key);
        assert.ok(row, `${after}: the budget has a row for channel ${key}`);
        assert.equal(row.activities, g.count, `${after}: activities of channel ${key}`);
        assert.equal(row.spent, g.cost, `${after}: spent on channel ${key}`);
      }
      for (const [key, g] of want.byUnit) {
        const row = budget.comparison.byUnit.find((r) => r.key === key);
        assert.ok(row, `${after}: the budget has a row for unit ${key}`);
        assert.equal(row.activities, g.count, `${after}: activities of unit ${key}`);
        assert.equal(row.spent, g.cost, `${after}: spent by unit ${key}`);
      }
      assert.equal(
        budget.comparison.byChannel.reduce((n, r) => n + r.activities, 0),
        want.count,
        `${after}: no channel row counts an activity that is not there`,
      );
      // The page itself, over HTTP and uncached (reusing the plan's rows must not change what it shows).
      const page = await (await w.appWith({ PAGE_CACHE_MB: "0" }).request(`/ke-hoach/${planId}`)).text();
      assert.ok(
        page.includes(`${dots(want.count)} hoạt động tuyên truyền, ${dots(want.audience)} lượt người được tiếp cận`),
        `${after}: the page states ${want.count} activities and ${want.audience} people reached`,
      );
    };

    test("figures follow every kind of write to the ledger", async () => {
      await check("before any activity");

      // 1. An activity on a task, recorded over HTTP by the unit's officer.
      await recordRadioActivity(radio, w, radioTask, {
        title: "Bản tin tuyên truyền thủ tục đăng ký khai sinh",
        on: "2026-02-20",
        audience: "1500",
        cost: "200000",
      });
      await check("an activity on a task (HTTP)");

      // 2. An activity on the plan without a task, by another unit, with no pillar, audience nor cost.
      const staff = await w.createStaff("dieuphoi2", "coordinator");
      const coordinator = await w.db.kysely
        .selectFrom("users")
        .selectAll()
        .where("id", "=", staff.id)
        .executeTakeFirstOrThrow();
      const onPlan = await recordActivity(
        { db: w.db, config: { dataDir: w.dataDir, uploadMaxBytes: 1_000_000, fileStore: "local" }, clock: w.now },
        SYSTEM_ACTOR,
        coordinator,
        {
          planId,
          orgUnitId: String(w.unitIds.get("justice")),
          channelKind: "conference",
          pillar: null,
          title: "Hội nghị phổ biến thủ tục",
          occurredOn: "2026-02-21",
          place: null,
          audience: null,
          participants: null,
          cost: null,
        },
      );
      assert.ok(onPlan.ok, `an activity on the plan is recorded: ${JSON.stringify(onPlan.ok ? "" : onPlan.errors)}`);
      await check("an activity on the plan");

      // 3. A feature's ledger entry (an event held), on a day the plan covers.
      const entry = {
        wardId: w.wardId,
        orgUnitId: w.unitIds.get("justice") as number,
        topic: "event" as const,
        title: "Sinh hoạt khu dân cư về thủ tục",
        occurredOn: periodFrom,
        audience: 40,
        source: "event" as const,
        sourceRef: "figures-1",
        createdBy: null,
        cost: 350000,
      };
      const rec = await w.db.kysely
        .transaction()
        .execute((trx) => recordLedgerEntry(trx, SYSTEM_ACTOR, entry, w.now()));
      assert.ok(rec.created, "the feature's entry is recorded");
      const row = await w.db.kysely
        .selectFrom("activities")
        .select("plan_id")
        .where("id", "=", rec.activityId)
        .executeTakeFirstOrThrow();
      assert.equal(row.plan_id, planId, "the entry falls under the plan in force on its day");
      await check("a feature's ledger entry");

      // 4. Its audience counted afterwards.
      const set = await w.db.kysely
        .transaction()
        .execute((trx) =>
          setLedgerAudience(trx, { wardId: w.wardId, source: "event", sourceRef: "figures-1", audience: 125 }),
        );
      assert.ok(set, "the audience is set");
      await check("an audience counted later");

      // 5. A planless row (a day no plan covers) attached to the plan.
      const planless = await w.db.kysely
        .transaction()
        .execute((trx) =>
          recordLedgerEntry(
            trx,
            SYSTEM_ACTOR,
            { ...entry, sourceRef: "figures-2", occurredOn: "2023-06-01", audience: 7, cost: 1000 },
            w.now(),
          ),
        );
      const before = await recompute();
      const attached = await w.db.kysely
        .transaction()
        .execute((trx) =>
          attachPlanlessActivities(
            trx,
            SYSTEM_ACTOR,
            { id: planId, wardId: w.wardId, wardIds: [w.wardId], period: { from: "2023-01-01", to: "2023-12-31" } },
            w.now(),
          ),
        );
      assert.ok(planless.created && attached === 1, "the planless row is attached to the plan");
      assert.equal((await recompute()).count, before.count + 1, "the attached row counts on the plan");
      await check("a planless row attached");

      // 6. The feature's entry withdrawn.
      const gone = await w.db.kysely
        .transaction()
        .execute((trx) =>
          withdrawLedgerEntry(
            trx,
            SYSTEM_ACTOR,
            { wardId: w.wardId, source: "event", sourceRef: "figures-1", reason: "ghi nhầm" },
            w.now(),
          ),
        );
      assert.ok(gone, "the entry is withdrawn");
      await check("a withdrawal");
    });

    test("the plan page reads the ledger twice and the plan's rows once; the task list resolves no ward again", async () => {
      const page = `/ke-hoach/${planId}`;
      const uncached = w.appWith({ PAGE_CACHE_MB: "0" });
      await uncached.request(page);
      const statements = await statementsDuring(w.db, async () => {
        assert.equal((await uncached.request(page)).status, 200, "the plan page answers");
      });
      const ledger = statements.filter((s) => /\bactivities\b/.test(s));
      assert.ok(ledger.length >= 1, "the page is rendered, not served from a cache");
      // Its sums (per pillar, channel and unit: one statement) and its tasks' latest work; before: five reads.
      assert.ok(ledger.length <= 2, `the ledger is read at most twice, not ${ledger.length}: ${ledger.join(" | ")}`);
      const tasks = statements.filter((s) => /select \* from "tasks"|from "tasks" inner join "plans"/.test(s));
      assert.ok(tasks.length <= 1, `the plan's tasks are read once, not ${tasks.length}`);
      const units = statements.filter((s) => /from "admin_units"/.test(s));
      assert.equal(units.length, 0, "the issuing unit is the ward (or a predecessor) the request knows, not read");
      const areas = statements.filter((s) => /from "plan_content_areas"/.test(s));
      assert.ok(areas.length <= 1, `the plan's content areas are read once, not ${areas.length}`);

      await radio.get("/quan-tri/viec-cua-toi");
      const list = await statementsDuring(w.db, async () => {
        const res = await radio.get("/quan-tri/viec-cua-toi");
        assert.equal(res.status, 200, "the task list answers");
        assert.ok((await res.text()).includes(`/quan-tri/nhiem-vu/${radioTask}"`), "the list shows the unit's task");
      });
      const wardReads = list.filter((s) => /admin_unit_links|from "admin_units"/.test(s));
      assert.equal(wardReads.length, 0, `the user's ward is remembered, not read again: ${wardReads.join(" | ")}`);
      const listLedger = list.filter((s) => /\bactivities\b/.test(s));
      assert.ok(listLedger.length <= 1, `the tasks' latest work comes with the tasks, not ${listLedger.length} reads`);
    });
  });
}
