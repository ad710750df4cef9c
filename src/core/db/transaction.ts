/**
 * One transaction for a whole action made of several service calls: a service that writes accepts either the
 * database or its caller's transaction, and runs its writes in that transaction when it is given one (Kysely cannot
 * nest transactions), in a transaction of its own otherwise.
 */
import type { Kysely, Transaction } from "kysely";

export function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}
