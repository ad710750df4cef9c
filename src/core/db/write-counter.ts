/**
 * Counts the writes made through one Kysely instance, after each has run: the page cache re-reads the database's
 * data version after any write of this process instead of at every cached answer (changes.ts, its fallback while
 * the listener is down). Anything that is not plainly a read counts: inserts, updates, deletes, schema changes and
 * raw SQL other than a select or a pragma. A failed statement changed nothing and is not counted.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";

export class WriteCounter implements KyselyPlugin {
  count = 0;
  readonly #pending = new WeakSet<object>();

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (mayWrite(node)) this.#pending.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.delete(queryId)) this.count++;
    return result;
  }
}

const READ_ONLY_RAW = /^\s*(?:select|pragma)\b/i;

/** Whether a statement may change data: every kind but a select, and raw SQL unless it starts as a read. */
export function mayWrite(node: RootOperationNode): boolean {
  if (node.kind === "SelectQueryNode") return false;
  if (node.kind === "RawNode") return !READ_ONLY_RAW.test(node.sqlFragments[0] ?? "");
  return true;
}

/** The table a plain insert, update or delete writes; null when not known (raw SQL, several tables). */
export function writtenTable(node: RootOperationNode): string | null {
  const name = (table: unknown): string | null => {
    const t = table as { kind?: string; table?: { identifier?: { name?: string } } } | undefined;
    return t?.kind === "TableNode" ? (t.table?.identifier?.name ?? null) : null;
  };
  if (node.kind === "InsertQueryNode") return name(node.into);
  if (node.kind === "UpdateQueryNode") return node.joins?.length ? null : name(node.table);
  if (node.kind === "DeleteQueryNode") return node.from.froms.length === 1 ? name(node.from.froms[0]) : null;
  return null;
}
