/** Forward-only migrations, the same files on SQLite and PostgreSQL. */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { Db } from "./connection.ts";
import type { MigrationContext } from "./migrate-helpers.ts";
import * as m001 from "./migrations/20261127-001-foundation.ts";
import * as m002 from "./migrations/20261127-002-plans.ts";
import * as m003 from "./migrations/20261127-003-vocabularies.ts";
import * as m004 from "./migrations/20261127-004-data-epoch.ts";
import * as m005 from "./migrations/20261127-005-procedures.ts";
import * as m006 from "./migrations/20261127-006-synonyms.ts";
import * as m007 from "./migrations/20261127-007-feedback.ts";
import * as m008 from "./migrations/20261127-008-feedback-workflow.ts";
import * as m009 from "./migrations/20261127-009-surveys.ts";
import * as m010 from "./migrations/20261127-010-questions.ts";
import * as m011 from "./migrations/20261127-011-feedback-channels.ts";
import * as m012 from "./migrations/20261127-012-personal-data.ts";
import * as m013 from "./migrations/20261127-013-ledger-sources.ts";
import * as m014 from "./migrations/20261127-014-public-text-and-rounds.ts";
import * as m015 from "./migrations/20261206-015-published-answers-recheck.ts";
import * as m016 from "./migrations/20261206-016-file-owners.ts";
import * as m018 from "./migrations/20261206-018-owner-levels.ts";
import * as m019 from "./migrations/20261206-019-public-forms-and-login-throttle.ts";
import * as m020 from "./migrations/20261206-020-ward-profile.ts";
import * as m021 from "./migrations/20261206-021-reports.ts";
import * as m022 from "./migrations/20261206-022-report-files-and-scope.ts";
import * as m023 from "./migrations/20261206-023-budget-and-training.ts";
import * as m024 from "./migrations/20261206-024-plan-layouts.ts";
import * as m025 from "./migrations/20261206-025-plan-drafts.ts";
import * as m026 from "./migrations/20261206-026-province-users-and-requests.ts";
import * as m027 from "./migrations/20261206-027-rollup-indexes.ts";
import * as m028 from "./migrations/20261206-028-events.ts";
import * as m029 from "./migrations/20261207-029-jobs.ts";
import * as m030 from "./migrations/20261207-030-legal-documents.ts";
import * as m031 from "./migrations/20261207-031-news.ts";
import * as m032 from "./migrations/20261207-032-radio.ts";
import * as m033 from "./migrations/20261207-033-event-minutes.ts";
import * as m036 from "./migrations/20261207-036-search-log.ts";
import * as m037 from "./migrations/20261207-037-everyday-lexicon.ts";
import * as m038 from "./migrations/20261207-038-event-photos.ts";
import * as m039 from "./migrations/20261207-039-search-prior.ts";
import * as m040 from "./migrations/20261207-040-request-indexes.ts";
import * as m041 from "./migrations/20261207-041-everyday-lexicon-more.ts";
import * as m042 from "./migrations/20261207-042-second-factor.ts";
import * as m043 from "./migrations/20261207-043-sso-identities.ts";
import * as m044 from "./migrations/20261207-044-file-store.ts";
import * as m045 from "./migrations/20261207-045-jobs-queue.ts";
import * as m046 from "./migrations/20261207-046-change-notify.ts";
import * as m047 from "./migrations/20261207-047-lexicon-and-audience.ts";
import * as m048 from "./migrations/20261207-048-everyday-concepts.ts";
import * as m049 from "./migrations/20261207-049-staged-uploads.ts";
import * as m050 from "./migrations/20261207-050-sso-sign-out.ts";
import * as m051 from "./migrations/20261207-051-page-copies.ts";
import * as m052 from "./migrations/20261207-052-plan-ledger-sums.ts";
import * as m053 from "./migrations/20261207-053-everyday-lexicon-five.ts";
import * as m054 from "./migrations/20261207-054-everyday-lexicon-six.ts";
import * as m055 from "./migrations/20261207-055-everyday-lexicon-seven.ts";
import * as m056 from "./migrations/20261207-056-everyday-lexicon-eight.ts";
import * as m057 from "./migrations/20261207-057-everyday-lexicon-nine.ts";
import * as m058 from "./migrations/20261207-058-search-examples.ts";

type MigrationModule = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };

// Listed here rather than read from the folder, so a bundled or compiled build finds them too.
const MIGRATIONS: Record<string, MigrationModule> = {
  "20261127-001-foundation": m001,
  "20261127-002-plans": m002,
  "20261127-003-vocabularies": m003,
  "20261127-004-data-epoch": m004,
  "20261127-005-procedures": m005,
  "20261127-006-synonyms": m006,
  "20261127-007-feedback": m007,
  "20261127-008-feedback-workflow": m008,
  "20261127-009-surveys": m009,
  "20261127-010-questions": m010,
  "20261127-011-feedback-channels": m011,
  "20261127-012-personal-data": m012,
  "20261127-013-ledger-sources": m013,
  "20261127-014-public-text-and-rounds": m014,
  "20261206-015-published-answers-recheck": m015,
  "20261206-016-file-owners": m016,
  "20261206-018-owner-levels": m018,
  "20261206-019-public-forms-and-login-throttle": m019,
  "20261206-020-ward-profile": m020,
  "20261206-021-reports": m021,
  "20261206-022-report-files-and-scope": m022,
  "20261206-023-budget-and-training": m023,
  "20261206-024-plan-layouts": m024,
  "20261206-025-plan-drafts": m025,
  "20261206-026-province-users-and-requests": m026,
  "20261206-027-rollup-indexes": m027,
  "20261206-028-events": m028,
  "20261207-029-jobs": m029,
  "20261207-030-legal-documents": m030,
  "20261207-031-news": m031,
  "20261207-032-radio": m032,
  "20261207-033-event-minutes": m033,
  "20261207-036-search-log": m036,
  "20261207-037-everyday-lexicon": m037,
  "20261207-038-event-photos": m038,
  "20261207-039-search-prior": m039,
  "20261207-040-request-indexes": m040,
  "20261207-041-everyday-lexicon-more": m041,
  "20261207-042-second-factor": m042,
  "20261207-043-sso-identities": m043,
  "20261207-044-file-store": m044,
  "20261207-045-jobs-queue": m045,
  "20261207-046-change-notify": m046,
  "20261207-047-lexicon-and-audience": m047,
  "20261207-048-everyday-concepts": m048,
  "20261207-049-staged-uploads": m049,
  "20261207-050-sso-sign-out": m050,
  "20261207-051-page-copies": m051,
  "20261207-052-plan-ledger-sums": m052,
  "20261207-053-everyday-lexicon-five": m053,
  "20261207-054-everyday-lexicon-six": m054,
  "20261207-055-everyday-lexicon-seven": m055,
  "20261207-056-everyday-lexicon-eight": m056,
  "20261207-057-everyday-lexicon-nine": m057,
  "20261207-058-search-examples": m058,
};

/** Apply every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<void> {
  const ctx: MigrationContext = { dialect: db.dialect };
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(MIGRATIONS)) out[name] = { up: (k) => mod.up(k, ctx) };
      return out;
    },
  };
  // Kysely looks for its own bookkeeping tables in every schema of the database: name ours (the first on the
  // search_path), or another schema's (another deployment, a test run beside this one) is taken for it.
  const migrationTableSchema =
    db.dialect === "postgres"
      ? (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : null;
  const migrator = new Migrator({ db: db.kysely, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(
      `Không chạy được migration ${failed?.migrationName ?? ""}: ${String((error as Error).message ?? error)}`,
    );
  }
}

/** The names of the migrations this version knows, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

/**
 * The migrations this version lists that the database has not applied (empty: current). Reads Kysely's bookkeeping
 * table; a database without it (never migrated) has every migration pending.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  let applied: Set<string>;
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration`.execute(db.kysely);
    applied = new Set(r.rows.map((row) => row.name));
  } catch (e) {
    // No bookkeeping table: nothing was ever applied. Any other failure (the database gone) is the caller's to see.
    if (/kysely_migration/.test(String((e as Error).message))) return [...MIGRATION_NAMES];
    throw e;
  }
  return MIGRATION_NAMES.filter((name) => !applied.has(name));
}
