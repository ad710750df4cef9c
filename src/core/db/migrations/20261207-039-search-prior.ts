/**
 * Issue 11 §3: a prior for what citizens do at a ward, as data.
 * - `search_priors`: a staff-set weight in [−1, 1] per field of the catalogue (`target` 'field', `key` the field's
 *   name) or per procedure (`target` 'procedure', `key` its code), owned like the catalogue (core/auth/owners.ts):
 *   'nation' (the shipped defaults, changed only by an operator), a province's or a ward's own (read on top of the
 *   nation's). `origin` 'default' marks a shipped row no one has changed; an edit makes it 'staff'. The reviewed
 *   defaults come from the JSON beside this file (frozen once shipped): a later release is a new file whose migration
 *   updates only the rows still 'default', so staff edits stay.
 * - `search_prior_learned`: the weight learned from how often each search result is opened (the job in
 *   features/search/search-prior.service.ts rewrites it), capped so popularity cannot snowball.
 * - `search_opens`: opens counted per ward, search document and day (the `/tim-kiem/mo` redirect), quiet like the
 *   search log (migration 004's QUIET) and purged with it.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";
import defaults from "./20261207-039-search-prior.json" with { type: "json" };

interface FieldDefault {
  field: string;
  weight: number;
  note: string;
}

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("search_priors")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    // 'field' or 'procedure'.
    .addColumn("target", "text", (c) => c.notNull())
    // The field's name as the catalogue writes it, or the procedure's code.
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("weight", "double precision", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    // 'default' (shipped, unchanged) or 'staff'.
    .addColumn("origin", "text", (c) => c.notNull().defaultTo("staff"))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("search_priors_once", ["owner", "target", "key"])
    .execute();

  await db.schema
    .createTable("search_prior_learned")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    // A search document's key ("procedure:1.001193").
    .addColumn("doc_key", "text", (c) => c.notNull().unique())
    .addColumn("opens", "integer", (c) => c.notNull())
    .addColumn("weight", "double precision", (c) => c.notNull())
    .addColumn("computed_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("search_opens")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("unit_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("doc_key", "text", (c) => c.notNull())
    // Vietnam local date, yyyy-mm-dd.
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("opens", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("search_opens_once", ["unit_id", "doc_key", "day"])
    .execute();
  await db.schema.createIndex("search_opens_day").on("search_opens").column("day").execute();

  const now = new Date().toISOString();
  for (const f of defaults.fields as FieldDefault[]) {
    const key = f.field.normalize("NFC");
    const note = f.note.normalize("NFC");
    await sql`insert into search_priors (owner, target, key, weight, note, origin, updated_at)
      values ('nation', 'field', ${key}, ${f.weight}, ${note}, 'default', ${now})`.execute(db);
  }
  await watchAllTables(db, ctx);
}
