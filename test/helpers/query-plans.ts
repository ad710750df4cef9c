/**
 * The query-plan check of issue 12 §2 (test/query-plans.pg.test.ts): each statement captured with
 * `CCHC_CAPTURE_SQL=<file>` planned on PostgreSQL with generic parameters (PREPARE + EXPLAIN EXECUTE under
 * `plan_cache_mode = force_generic_plan`: the plan the server uses whatever the values) and `enable_seqscan = off`,
 * and every read of a table that grows with wards or years from end to end reported.
 *
 * Also a command, to check the statements of any run (e.g. the whole HTTP suite) against a migrated schema:
 *   CCHC_CAPTURE_SQL=/tmp/sql.txt TEST_DATABASE_URL=… npm test -- --tests-only test/…
 *   npx tsx test/helpers/query-plans.ts /tmp/sql.txt postgres://…?options=-c%20search_path%3D<schema>
 * (statements a test runs itself, outside the app, show up there too: judge those by where they come from).
 */
import fs from "node:fs";
import pg from "pg";

/**
 * Tables that do not grow with the number of wards or years: a sequential scan of them is allowed. Each with why.
 */
export const SMALL_TABLES: Record<string, string> = {
  admin_units: "the country's register of administrative units: fixed size (≈ 14,000 rows with the predecessors)",
  admin_unit_links: "the register's merge links: fixed size",
  settings: "deployment settings: a handful of rows",
  vocabularies: "the controlled vocabularies (pillars, channel kinds): a few dozen rows",
  feedback_stage_days: "national time limits of the feedback workflow: one row per stage",
  data_epoch: "a sequence (the data version every write advances, migration 004): one row",
  kysely_migration: "migration bookkeeping",
  kysely_migration_lock: "migration bookkeeping",
};

/**
 * Statements allowed to read a growing table whole, each with the reason. Matched against the statement's text.
 */
export const ALLOWED_STATEMENTS: { match: RegExp; reason: string }[] = [
  {
    match: /^select \* from "search_docs" where "deleted" = \$1$/,
    reason:
      "the site search's in-memory index is built from every live document, once per process (issue 12 §7 moves " +
      "the build off the request path; later refreshes read by seq, through search_docs_seq)",
  },
  {
    match: /^select "doc_key", "weight" from "search_prior_learned"$/,
    reason:
      "the learned search prior is loaded whole with the search index (one row per search document at most), " +
      "once per process and again only when the job rewrites it",
  },
];

/** A plan node and its children, flattened. */
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
}
const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

/** The highest `$n` of a statement: how many parameters it takes. */
const paramCount = (statement: string) => {
  let max = 0;
  // Placeholders outside string literals: strip the literals first.
  for (const m of statement.replace(/'(?:[^']|'')*'/g, "''").matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
};

/**
 * pg-boss's own statements, on its schema (`pgboss`, `<schema>_pgboss`: src/core/jobs/pg-queue.ts). A job's delivery
 * is sent on our connection (in the transaction that queues the job), so a capture holds it when a runner is up; it
 * is a maintained library's statement on the tables and indexes it creates and migrates itself, not ours to plan.
 */
const PG_BOSS_STATEMENT = /\b(\w+_)?pgboss\./;

/**
 * The data statements of a capture file, once each (DDL and transaction control are not request paths to plan, and
 * pg-boss's statements are its own: PG_BOSS_STATEMENT).
 */
export const capturedStatements = (file: string): string[] => [
  ...new Set(
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((s) => /^\s*\(?\s*(select|insert|update|delete|with)\b/i.test(s))
      .filter((s) => !PG_BOSS_STATEMENT.test(s)),
  ),
];

/** Plan each statement; `problems`: one line per statement that reads a growing table whole or cannot be planned. */
export async function explainStatements(
  url: string,
  statements: readonly string[],
): Promise<{ problems: string[]; allowed: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const problems: string[] = [];
  const allowed: string[] = [];
  try {
    await client.query("set enable_seqscan = off");
    await client.query("set plan_cache_mode = force_generic_plan");
    for (const statement of statements) {
      const n = paramCount(statement);
      const types: string[] = Array.from({ length: n }, () => "unknown");
      let plan: PlanNode | null = null;
      let error = "";
      // A parameter PostgreSQL cannot type from its context (e.g. `$1 is null`) is given `text`, one at a time.
      for (let attempt = 0; attempt <= n && !plan; attempt++) {
        try {
          await client.query("deallocate all");
          await client.query(`prepare q${n ? `(${types.join(", ")})` : ""} as ${statement}`);
          const args = n ? `(${types.map(() => "null").join(", ")})` : "";
          const res = await client.query(`explain (format json) execute q${args}`);
          plan = (res.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan ?? null;
        } catch (e) {
          error = (e as Error).message;
          const untyped = /could not determine data type of parameter \$(\d+)/.exec(error);
          if (!untyped) break;
          types[Number(untyped[1]) - 1] = "text";
        }
      }
      if (!plan) {
        problems.push(`cannot be planned (${error}):\n    ${statement}`);
        continue;
      }
      // A sequential scan, or its disguise with sequential scans off: a whole index read in order with a filter
      // on each row (no index condition), which reads the table end to end just the same.
      const scans = nodesOf(plan)
        .filter(
          (node) =>
            node["Node Type"] === "Seq Scan" ||
            (/^Index (Only )?Scan$/.test(node["Node Type"]) && !node["Index Cond"] && node.Filter),
        )
        .filter((node) => !((node["Relation Name"] as string) in SMALL_TABLES))
        .map((node) =>
          node["Node Type"] === "Seq Scan"
            ? `Seq Scan on ${node["Relation Name"]}`
            : `whole index ${node["Index Name"]} filtered by ${node.Filter}`,
        );
      if (scans.length === 0) continue;
      const allow = ALLOWED_STATEMENTS.find((a) => a.match.test(statement));
      if (allow) {
        allowed.push(`${allow.reason}: ${statement.slice(0, 120)}`);
        continue;
      }
      problems.push(`${[...new Set(scans)].join("; ")}:\n    ${statement}`);
    }
  } finally {
    await client.end();
  }
  return { problems, allowed };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""))) {
  const [file, url] = process.argv.slice(2);
  if (!file || !url) throw new Error("usage: tsx test/helpers/query-plans.ts <capture file> <database url>");
  const { problems, allowed } = await explainStatements(url, capturedStatements(file));
  for (const a of allowed) console.log(`allowed: ${a}`);
  for (const p of problems) console.log(p);
  console.log(`${problems.length} problem(s)`);
  process.exitCode = problems.length ? 1 : 0;
}
