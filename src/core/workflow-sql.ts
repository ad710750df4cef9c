/**
 * The SQL every channel workflow (events, news, radio, …) writes the same way, parameterised by its tables: the item
 * table (owned by a ward, with a status and a round) and its step table (the item's key, from_status, to_status, at,
 * user_id, actor, note, round). A feature builds its queries with `workflowSql(...)` and its `WorkflowStore` with
 * `workflowStore(...)`, and keeps to itself only the queries that really differ.
 */
import type { Kysely, Transaction, Updateable } from "kysely";
import type { Database } from "./db/schema.ts";
import type { StepRecord, WorkflowStore } from "./workflow.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The tables of items that go through a workflow: a ward, a status and a round on each row. */
export type WorkflowTable = {
  [K in keyof Database]: Database[K] extends { ward_id: number; status: string; round: unknown } ? K : never;
}[keyof Database];

/** The tables of workflow steps: one row a step, with these columns and the item's key. */
export type StepTable = {
  [K in keyof Database]: Database[K] extends {
    from_status: string;
    to_status: string;
    at: string;
    user_id: number | null;
    actor: string;
    note: string | null;
    round: unknown;
  }
    ? K
    : never;
}[keyof Database];

/** The column of step table `S` that names the item. */
export type StepItemKey<S extends StepTable> = Exclude<
  keyof Database[S] & string,
  "id" | "from_status" | "to_status" | "at" | "user_id" | "actor" | "note" | "round"
>;

/** A step as the item's page lists it. */
export interface StepView {
  from_status: string;
  to_status: string;
  at: string;
  actor: string;
  note: string | null;
}

// The queries name their tables and columns at run time; the signatures above keep the callers typed.
type Loose = Kysely<Record<string, Record<string, string | number | null>>>;
const loose = (db: Q) => db as unknown as Loose;

export interface WorkflowSql<T extends WorkflowTable> {
  /**
   * Move item `id` of ward `wardId` from `from` (status and round, as loaded) to status `to` with `changes`; false when
   * it is no longer there (a concurrent step won).
   */
  move(
    db: Q,
    wardId: number,
    id: number,
    from: { status: string; round: number },
    to: string,
    changes: Updateable<Database[T]>,
  ): Promise<boolean>;
  /**
   * Change a draft of the ward; false when it is no longer one (someone submitted it meanwhile) or, with `guard`, no
   * longer has those column values (news: the version edited).
   */
  updateDraft(
    db: Q,
    wardId: number,
    id: number,
    changes: Updateable<Database[T]>,
    guard?: Partial<Record<keyof Database[T] & string, string | number>>,
  ): Promise<boolean>;
  insertStep(db: Q, step: StepRecord): Promise<void>;
  /** The steps of an item, in the order they were taken. */
  stepsOf(db: Q, id: number): Promise<StepView[]>;
}

/** The workflow queries of item table `items` whose steps are rows of `steps` naming the item in `itemKey`. */
export function workflowSql<T extends WorkflowTable, S extends StepTable>(
  items: T,
  steps: S,
  itemKey: StepItemKey<S>,
): WorkflowSql<T> {
  const updated = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) === 1;
  return {
    async move(db, wardId, id, from, to, changes) {
      const r = await loose(db)
        .updateTable(items as string)
        .set({ ...(changes as Record<string, string | number | null>), status: to })
        .where("ward_id", "=", wardId)
        .where("id", "=", id)
        .where("status", "=", from.status)
        .where("round", "=", from.round)
        .executeTakeFirst();
      return updated(r);
    },
    async updateDraft(db, wardId, id, changes, guard) {
      let query = loose(db)
        .updateTable(items as string)
        .set(changes as Record<string, string | number | null>)
        .where("ward_id", "=", wardId)
        .where("id", "=", id)
        .where("status", "=", "draft");
      for (const [column, value] of Object.entries(guard ?? {}))
        query = query.where(column, "=", value as string | number);
      return updated(await query.executeTakeFirst());
    },
    async insertStep(db, s) {
      await loose(db)
        .insertInto(steps as string)
        .values({
          [itemKey]: s.id,
          from_status: s.from,
          to_status: s.to,
          at: s.at,
          user_id: s.userId,
          actor: s.actor,
          note: s.note,
          round: s.round,
        })
        .execute();
    },
    stepsOf(db, id) {
      return loose(db)
        .selectFrom(steps as string)
        .select(["from_status", "to_status", "at", "actor", "note"])
        .where(itemKey as string, "=", id)
        .orderBy("id")
        .execute() as Promise<StepView[]>;
    },
  };
}

/**
 * The `WorkflowStore` of a channel item: its audit entity, its words ("Sự kiện" and its statuses) for the 404 and the
 * 409 of a step that came too late, how to load one item of a ward, and its workflow queries.
 */
export function workflowStore<I extends { status: string; round: number }, T extends WorkflowTable>(opts: {
  entity: string;
  /** The item as a sentence starts with it: "Sự kiện", "Bài", "Bản tin". */
  subject: string;
  notFound: string;
  statusWords: Readonly<Record<string, string>>;
  load: (db: Q, wardIds: readonly number[], id: number) => Promise<I | undefined>;
  sql: WorkflowSql<T>;
}): WorkflowStore<I, Updateable<Database[T]> & { round?: number }> {
  return {
    entity: opts.entity,
    notFound: opts.notFound,
    wrongState: (status, what) =>
      `${opts.subject} đang ở trạng thái “${opts.statusWords[status] ?? status}”, không thể ${what}. Vui lòng tải lại trang.`,
    load: (db, wardId, id) => opts.load(db, [wardId], id),
    move: (trx, wardId, id, from, to, changes) => opts.sql.move(trx, wardId, id, from, to, changes),
    insertStep: (trx, s) => opts.sql.insertStep(trx, s),
  };
}
