/**
 * PostgreSQL: every committed write tells the app's processes which wards it changed, by NOTIFY (delivered only at
 * commit, so a process never learns of a write before it is visible). Statement triggers with transition tables on
 * every table that a public page may show name the administrative units their rows belong to, found once here from
 * each table's columns:
 * - `ward_id`, else `unit_id`, else `scope_unit_id`: that unit (NULL: shared, every ward's pages);
 * - `owner` ("unit:{id}" or "nation"), and search_docs' `scope` ("unit:{id} …" or "national"): the units named;
 * - else a foreign key to a table with `ward_id` (feedback_steps → feedback_items), or two steps up (survey_answers →
 *   survey_responses → surveys): the parent's ward, preferring a NOT NULL key and a parent other than `users` (a
 *   parent deleted in the same statement was notified by its own trigger);
 * - anything else (admin units, procedures catalogue, synonyms' defaults, settings…): shared.
 * The channel is `cchc_{schema}` and each payload `{table}:{id,id,…}` or `{table}:*` (shared, or too many units for
 * one payload). `cchc_watch_tables()` (re)installs the triggers on every table; migration 004's
 * `watchAllTables`, which later migrations call for their new tables, calls it too. Tables no public page shows
 * (sessions, logs, the job queue, audit, rate limits) have none. See src/core/db/changes.ts.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  await sql`
create or replace function cchc_changed() returns trigger language plpgsql as $fn$
declare
  rule text := tg_argv[0];
  source text;
  q text;
  units text;
  payload text;
begin
  if rule = 'shared' or tg_op = 'TRUNCATE' then
    perform pg_notify('cchc_' || tg_table_schema, tg_table_name || ':*');
    return null;
  end if;
  source := case tg_op
    when 'INSERT' then 'select * from cchc_new'
    when 'DELETE' then 'select * from cchc_old'
    else 'select * from cchc_old union all select * from cchc_new' end;
  if rule = 'column' then
    q := format('select %1$I::text as u from (%2$s) r', tg_argv[1], source);
  elsif rule = 'owner' then
    q := format('select case when %1$I ~ ''^unit:[0-9]+$'' then substr(%1$I, 6) end as u from (%2$s) r',
      tg_argv[1], source);
  elsif rule = 'scope' then
    q := format('select case when t ~ ''^unit:[0-9]+$'' then substr(t, 6) end as u
      from (%2$s) r, regexp_split_to_table(coalesce(nullif(trim(r.%1$I), ''''), ''national''), ''\s+'') t',
      tg_argv[1], source);
  elsif rule = 'parent' then
    -- tg_argv: 'parent', fk column, parent table, parent key
    q := format('select case when r.%1$I is null then null else p.ward_id::text end as u
      from (%4$s) r left join %2$I p on p.%3$I = r.%1$I where r.%1$I is null or p.%3$I is not null',
      tg_argv[1], tg_argv[2], tg_argv[3], source);
  elsif rule = 'grandparent' then
    -- tg_argv: 'grandparent', fk column, middle table, its key, its fk column, parent table, parent key
    q := format('select case when r.%1$I is null or m.%4$I is null then null else p.ward_id::text end as u
      from (%7$s) r left join %2$I m on m.%3$I = r.%1$I left join %5$I p on p.%6$I = m.%4$I
      where r.%1$I is null or (m.%3$I is not null and (m.%4$I is null or p.%6$I is not null))',
      tg_argv[1], tg_argv[2], tg_argv[3], tg_argv[4], tg_argv[5], tg_argv[6], source);
  else
    q := format('select null::text as u from (%1$s) r', source);
  end if;
  execute format('select string_agg(distinct coalesce(u, ''*''), '','') from (%s) z', q) into units;
  if units is null then
    return null;
  end if;
  if units like '%*%' or length(units) > 7000 then
    units := '*';
  end if;
  perform pg_notify('cchc_' || tg_table_schema, tg_table_name || ':' || units);
  return null;
end
$fn$`.execute(db);

  await sql`
create or replace function cchc_watch_tables() returns void language plpgsql as $fn$
declare
  t record;
  rule text[];
  fk record;
  quiet text[] := array['sessions', 'login_attempts', 'login_throttle', 'kysely_migration',
    'kysely_migration_lock', 'jobs', 'search_log', 'search_opens', 'audit_log', 'public_form_rate_hits',
    'file_blobs', 'file_chunks'];
  args text;
begin
  for t in select tablename from pg_tables where schemaname = current_schema() order by tablename loop
    if t.tablename = any(quiet) or t.tablename like 'pgboss%' then
      continue;
    end if;
    rule := null;
    if exists (select 1 from information_schema.columns c where c.table_schema = current_schema()
               and c.table_name = t.tablename and c.column_name = 'ward_id') then
      rule := array['column', 'ward_id'];
    elsif exists (select 1 from information_schema.columns c where c.table_schema = current_schema()
               and c.table_name = t.tablename and c.column_name = 'unit_id') then
      rule := array['column', 'unit_id'];
    elsif exists (select 1 from information_schema.columns c where c.table_schema = current_schema()
               and c.table_name = t.tablename and c.column_name = 'scope_unit_id') then
      rule := array['column', 'scope_unit_id'];
    elsif exists (select 1 from information_schema.columns c where c.table_schema = current_schema()
               and c.table_name = t.tablename and c.column_name = 'owner') then
      rule := array['owner', 'owner'];
    elsif t.tablename = 'search_docs' then
      rule := array['scope', 'scope'];
    else
      select a.attname as col, pc.relname as parent, pa.attname as pkey into fk
        from pg_constraint con
        join pg_class cc on cc.oid = con.conrelid
        join pg_namespace n on n.oid = cc.relnamespace
        join pg_class pc on pc.oid = con.confrelid
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
        join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
        where con.contype = 'f' and n.nspname = current_schema() and cc.relname = t.tablename
          and array_length(con.conkey, 1) = 1
          and exists (select 1 from pg_attribute w where w.attrelid = con.confrelid and w.attname = 'ward_id'
                      and not w.attisdropped)
        order by a.attnotnull desc, (pc.relname = 'users'), con.conname limit 1;
      if found then
        rule := array['parent', fk.col, fk.parent, fk.pkey];
      else
        -- Two steps up (survey_answers → survey_responses → surveys).
        select a.attname as col, pc.relname as mid, pa.attname as mkey, a2.attname as mcol, gc.relname as parent,
               ga.attname as pkey into fk
          from pg_constraint con
          join pg_class cc on cc.oid = con.conrelid
          join pg_namespace n on n.oid = cc.relnamespace
          join pg_class pc on pc.oid = con.confrelid
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
          join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
          join pg_constraint con2 on con2.conrelid = con.confrelid and con2.contype = 'f'
            and array_length(con2.conkey, 1) = 1
          join pg_class gc on gc.oid = con2.confrelid
          join pg_attribute a2 on a2.attrelid = con2.conrelid and a2.attnum = con2.conkey[1]
          join pg_attribute ga on ga.attrelid = con2.confrelid and ga.attnum = con2.confkey[1]
          where con.contype = 'f' and n.nspname = current_schema() and cc.relname = t.tablename
            and array_length(con.conkey, 1) = 1
            and exists (select 1 from pg_attribute w where w.attrelid = con2.confrelid and w.attname = 'ward_id'
                        and not w.attisdropped)
          order by a.attnotnull desc, a2.attnotnull desc, (gc.relname = 'users'), con.conname, con2.conname limit 1;
        if found then
          rule := array['grandparent', fk.col, fk.mid, fk.mkey, fk.mcol, fk.parent, fk.pkey];
        else
          rule := array['shared'];
        end if;
      end if;
    end if;
    args := (select string_agg(quote_literal(x), ', ') from unnest(rule) x);
    execute format('drop trigger if exists cchc_changed_i on %I', t.tablename);
    execute format('drop trigger if exists cchc_changed_u on %I', t.tablename);
    execute format('drop trigger if exists cchc_changed_d on %I', t.tablename);
    execute format('drop trigger if exists cchc_changed_t on %I', t.tablename);
    execute format('create trigger cchc_changed_i after insert on %I referencing new table as cchc_new
      for each statement execute function cchc_changed(%s)', t.tablename, args);
    execute format('create trigger cchc_changed_u after update on %I referencing old table as cchc_old
      new table as cchc_new for each statement execute function cchc_changed(%s)', t.tablename, args);
    execute format('create trigger cchc_changed_d after delete on %I referencing old table as cchc_old
      for each statement execute function cchc_changed(%s)', t.tablename, args);
    execute format('create trigger cchc_changed_t after truncate on %I
      for each statement execute function cchc_changed(''shared'')', t.tablename);
  end loop;
end
$fn$`.execute(db);
  await sql`select cchc_watch_tables()`.execute(db);
}
