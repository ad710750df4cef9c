/**
 * Every record has an owner level: the nation, a province or a ward (ARCHITECTURE.md). Until now one ward's
 * coordinator could change what every ward sees (the stage days, the synonyms); this migration gives the shared
 * records their owner and the wards their own values beside them.
 *
 * - `users.owner_scope`: the level above its ward an account may change. NULL: only its own ward's records;
 *   'nation': a deployment operator (national records: procedures announced above the ward, public holidays, the
 *   default synonyms and stage days); 'unit:{province id}' is kept for province users (issue 9). On an existing
 *   install the first administrator becomes the operator, as on a new one-ward install.
 * - `search_synonyms.owner`: 'nation' for the defaults, 'unit:{id}' for a ward's (or a province's) own additions; a
 *   term is unique per owner, so a ward may add to a national term without changing it.
 * - `feedback_stage_days_local`: a ward's (or a province's) own working days per stage, over the national rows of
 *   `feedback_stage_days`, which stay the defaults.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

async function ownedSynonyms(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === "postgres") {
    await db.schema
      .alterTable("search_synonyms")
      .addColumn("owner", "text", (c) => c.notNull().defaultTo("nation"))
      .execute();
    const unique = await sql<{ conname: string }>`select conname from pg_constraint
      where conrelid = 'search_synonyms'::regclass and contype = 'u'`.execute(db);
    for (const { conname } of unique.rows)
      await sql`alter table search_synonyms drop constraint ${sql.id(conname)}`.execute(db);
    await db.schema
      .alterTable("search_synonyms")
      .addUniqueConstraint("search_synonyms_owner_term", ["owner", "term"])
      .execute();
    return;
  }
  // SQLite cannot drop a constraint declared in CREATE TABLE: rebuild (nothing refers to this table).
  await db.schema
    .createTable("search_synonyms_next")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull().defaultTo("nation"))
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("expansions", "text", (c) => c.notNull())
    .addUniqueConstraint("search_synonyms_owner_term", ["owner", "term"])
    .execute();
  await sql`insert into search_synonyms_next (id, owner, term, expansions)
    select id, 'nation', term, expansions from search_synonyms`.execute(db);
  await db.schema.dropTable("search_synonyms").execute();
  await db.schema.alterTable("search_synonyms_next").renameTo("search_synonyms").execute();
}

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("users").addColumn("owner_scope", "text").execute();
  await sql`update users set owner_scope = 'nation'
    where id = (select min(id) from users where role = 'admin')`.execute(db);
  await ownedSynonyms(db, ctx);
  await db.schema
    .createTable("feedback_stage_days_local")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("working_days", "integer", (c) => c.notNull())
    .addUniqueConstraint("feedback_stage_days_local_owner", ["owner", "stage"])
    .execute();
  await watchAllTables(db, ctx);
}
