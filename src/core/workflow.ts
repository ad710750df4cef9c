/**
 * One step of a staff workflow (feedback items, questions), the same for every feature: load the item, check the
 * step starts from its status and that this user may take it, then in one transaction the conditional UPDATE
 * (`where status = from and round = round`), the step row (UNIQUE per item, round and status) and the audit record,
 * plus whatever the step adds (`also`). So a step happens exactly once however many identical requests race for it;
 * the losers are told the state the winner left.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "./audit.ts";
import type { Database } from "./db/schema.ts";
import type { FieldErrors } from "./web/validation.ts";

type Db = Kysely<Database>;

export type StepResult =
  | { ok: true; status: string }
  | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors };

export const stepFailure = (status: 400 | 403 | 404 | 409, message: string): StepResult => ({
  ok: false,
  status,
  errors: { _: message },
});

/** What a step does to the item, decided from the item as loaded. */
export interface StepPlan<C> {
  to: string;
  changes: C;
  note: string | null;
  after: Record<string, unknown>;
  /** More writes in the step's transaction. */
  also?: (trx: Db) => Promise<void>;
}

/** A feature's workflow tables and words. */
export interface WorkflowStore<I extends { status: string; round: number }, C extends { round?: number }> {
  /** The audit entity and action prefix: `feedback` → `feedback.approve`. */
  entity: string;
  notFound: string;
  /** "Câu hỏi đang ở trạng thái “…”, không thể …": the 409 for a request that came too late. */
  wrongState(status: string, what: string): string;
  load(db: Db, wardId: number, id: number): Promise<I | undefined>;
  move(
    trx: Db,
    wardId: number,
    id: number,
    from: { status: string; round: number },
    to: string,
    changes: C,
  ): Promise<boolean>;
  insertStep(trx: Db, step: StepRecord): Promise<void>;
}

/** A step as `takeStep` records it. */
export interface StepRecord {
  id: number;
  from: string;
  to: string;
  at: string;
  userId: number;
  actor: string;
  note: string | null;
  round: number;
}

/** A leader sends a channel item's draft back with `reason`: it opens a new round of review. */
export const sendBackPlan = <C extends object>(base: C, round: number, reason: string) => ({
  to: "draft",
  changes: { ...base, round: round + 1, return_reason: reason },
  note: reason,
  after: { status: "draft", reason },
});

/** A channel item is withdrawn (hủy, gỡ) with `reason`; `also` undoes what it had written elsewhere. */
export const withdrawPlan = <C extends object>(base: C, reason: string, also: (trx: Db) => Promise<void>) => ({
  to: "withdrawn",
  changes: { ...base, withdrawn_reason: reason },
  note: reason,
  after: { status: "withdrawn", reason },
  also,
});

export interface StepUser {
  id: number;
  username: string;
  ward_id: number;
}

/** Take step `name` ("vào sổ", "phê duyệt": `what`) on item `id`, starting from status `from`. */
export async function takeStep<I extends { status: string; round: number }, C extends { round?: number }>(
  db: Db,
  store: WorkflowStore<I, C>,
  user: StepUser,
  id: number,
  step: { name: string; what: string; from: string; allowed: (item: I) => boolean },
  now: Date,
  plan: (item: I) => Promise<StepPlan<C> | StepResult>,
): Promise<StepResult> {
  const tooLate = (status: string) => stepFailure(409, store.wrongState(status, step.what));
  const item = await store.load(db, user.ward_id, id);
  if (!item) return stepFailure(404, store.notFound);
  if (!step.allowed(item)) return stepFailure(403, "Bạn không có quyền thực hiện bước này.");
  const from = item.status;
  if (step.from !== from) return tooLate(from);
  const p = await plan(item);
  if ("ok" in p) return p;
  const actor: Actor = { userId: user.id, name: user.username, wardId: user.ward_id };
  try {
    const moved = await db.transaction().execute(async (trx) => {
      if (!(await store.move(trx, user.ward_id, id, { status: from, round: item.round }, p.to, p.changes)))
        return false;
      await store.insertStep(trx, {
        id,
        from,
        to: p.to,
        at: now.toISOString(),
        userId: user.id,
        actor: user.username,
        note: p.note,
        round: p.changes.round ?? item.round,
      });
      await audit(
        trx,
        actor,
        {
          action: `${store.entity}.${step.name}`,
          entity: store.entity,
          entityId: id,
          before: { status: from },
          after: p.after,
        },
        now,
      );
      if (p.also) await p.also(trx);
      return true;
    });
    if (!moved) return tooLate((await store.load(db, user.ward_id, id))?.status ?? from);
  } catch (err) {
    // A concurrent request won (the unique step, or a serialisation failure): report the state it left.
    const current = await store.load(db, user.ward_id, id);
    if (current && (current.status !== from || current.round !== item.round)) return tooLate(current.status);
    throw err;
  }
  return { ok: true, status: p.to };
}

/** A step of a channel's workflow (events, news, radio), as its rules declare it. */
export interface ChannelStep<U> {
  from: readonly string[];
  what: string;
  allowed: (user: U, orgUnitId: number) => boolean;
}

/**
 * `takeStep` for a channel item: the step may start from any of `step.from` (a withdrawal from approved or aired) — it
 * starts from the item's status when that is one of them — and is open to whom `step.allowed` names for the item's
 * unit.
 */
export async function takeChannelStep<
  I extends { status: string; round: number; org_unit_id: number },
  C extends { round?: number },
  U extends StepUser,
>(
  db: Db,
  store: WorkflowStore<I, C>,
  user: U,
  id: number,
  name: string,
  step: ChannelStep<U>,
  now: Date,
  plan: (item: I) => Promise<StepPlan<C> | StepResult>,
): Promise<StepResult> {
  const from = (await store.load(db, user.ward_id, id))?.status ?? "";
  return takeStep(
    db,
    store,
    user,
    id,
    {
      name,
      what: step.what,
      from: step.from.includes(from) ? from : (step.from[0] as string),
      allowed: (item) => step.allowed(user, item.org_unit_id),
    },
    now,
    plan,
  );
}
