/**
 * Site search: one in-memory `SearchIndex` per database (src/core/search/), built from the rows of `search_docs`
 * that every kind of public content writes (procedures today; legal documents, news and published answers later),
 * with the synonym table `search_synonyms` (editable data, seeded with the defaults by migration 006). Synonyms
 * have an owner (core/auth/owners.ts): the national defaults, which only an operator edits, and each ward's (or
 * province's) own additions; a ward's search uses the nation's, its province's and its own (`synonymsFor`).
 *
 * Freshness: before a search after a write to the search tables (`fresh(db)`: PostgreSQL notifies every process,
 * see core/db/changes.ts), the index asks the database one cheap question — the highest `seq` of the
 * documents, the number and highest id of the synonyms — and applies only the document rows whose `seq` is above
 * the last one seen (upsert, or remove when `deleted` = 1), or reloads the synonyms when they changed. So a CLI
 * import or another server's write is found at the next query. Writers number their rows `max(seq) + 1` inside
 * their transaction; two PostgreSQL transactions committing out of that order could hide a row from the delta, so
 * every RESYNC_MS the document keys and sequence numbers are compared in full and any difference is applied.
 *
 * Scope, in the database (`search_docs.scope`) and in the engine: "national" = no scope (every ward sees the
 * document); otherwise scopes separated by spaces, each "unit:{admin unit id}" (a province's or a ward's own
 * content) or "national:other-levels" (national procedures no commune carries out: no ward searches that scope).
 * A ward's search admits the unscoped documents and those of its own unit or its province (`wardScopes`).
 */
import { sql } from "kysely";
import type { Logger } from "pino";
import { type Actor, audit } from "../../core/audit.ts";
import { NATION, type Owner, ownersReadBy } from "../../core/auth/owners.ts";
import { currentChanges } from "../../core/db/changes.ts";
import type { Db } from "../../core/db/connection.ts";
import { type SynonymEntry, type SynonymTable, syllables } from "../../core/search/analyze.ts";
import { type Associations, learnAssociations } from "../../core/search/associations.ts";
import { escapeHtml } from "../../core/search/highlight.ts";
import { type SearchHit, SearchIndex } from "../../core/search/index.ts";
import { audienceOf, priorMap } from "../../core/search/prior.ts";
import { nfc } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { bestBetOf, bestBetsOf } from "./search.sql.ts";

/** Results per page of the search page (and of the API's default page). */
export const PAGE_SIZE = 20;
/** Characters of a query kept; the rest is ignored. */
export const MAX_QUERY_CHARS = 200;
/** Full comparison of keys and sequence numbers, the safety net of the delta (see the header). */
const RESYNC_MS = 5 * 60_000;

/** What each kind of content is called on the results page. */
export const KIND_LABELS: Record<string, string> = {
  procedure: "Thủ tục hành chính",
  legal: "Văn bản",
  news: "Tin tức",
  answer: "Hỏi đáp",
  feedback: "Phản ánh, kiến nghị đã trả lời",
  event: "Hội nghị, sinh hoạt",
  radio: "Bản tin phát thanh",
};

export const NATIONAL_SCOPE = "national";

/** `search_docs.scope` of an engine scope list: "national" for none, else the scopes separated by spaces. */
export function scopeText(scope: readonly string[] | undefined): string {
  const list = (scope ?? []).map((s) => s.trim()).filter(Boolean);
  return list.length ? list.join(" ") : NATIONAL_SCOPE;
}

/** The engine's scope list of a `search_docs.scope`: undefined (everywhere) for "national" or nothing. */
export function scopeOfText(text: string): string[] | undefined {
  const list = text.split(/\s+/).filter((s) => s && s !== NATIONAL_SCOPE);
  return list.length ? list : undefined;
}

/** Scopes a ward's visitors see besides the unscoped documents: the ward's own and its province's. */
export function wardScopes(ward: Ward): string[] {
  return [`unit:${ward.unit.id}`, ...(ward.province ? [`unit:${ward.province.id}`] : [])];
}

// ---------------------------------------------------------------------------------------------------------------
// Synonyms as rows
// ---------------------------------------------------------------------------------------------------------------

/** A row's `expansions`: a JSON list of alternatives, or `{ "to": […], "weight": 0.98 }` to set the weight. */
export function expansionsJson(entry: Pick<SynonymEntry, "to" | "weight">): string {
  return JSON.stringify(entry.weight === undefined ? [...entry.to] : { to: [...entry.to], weight: entry.weight });
}

/** A row as a synonym entry; null when its JSON is unusable (the row is then ignored). */
export function synonymEntryOf(term: string, expansions: string): SynonymEntry | null {
  let v: unknown;
  try {
    v = JSON.parse(expansions);
  } catch {
    return null;
  }
  const list = Array.isArray(v) ? v : v && typeof v === "object" ? (v as { to?: unknown }).to : undefined;
  if (!Array.isArray(list)) return null;
  const to = list.filter((x): x is string => typeof x === "string");
  const w = !Array.isArray(v) && v && typeof v === "object" ? (v as { weight?: unknown }).weight : undefined;
  const weight = typeof w === "number" && Number.isFinite(w) && w > 0 && w <= 1 ? w : undefined;
  return weight === undefined ? { from: term, to } : { from: term, to, weight };
}

/** The folded words of a term: two terms that fold alike are the same entry ("sổ đỏ" = "so do"). */
export const termKey = (term: string) => syllables(nfc(term)).join(" ");

/** Characters of a query kept in the search log and in a best bet's key. */
export const MAX_LOGGED_CHARS = 120;

/** The folded key of a query: how best bets and the log recognise "Đăng ký khai sinh" as "dang ky khai sinh". */
export const queryKey = (text: string): string => [...termKey(text)].slice(0, MAX_LOGGED_CHARS).join("").trim();

// ---------------------------------------------------------------------------------------------------------------
// The per-database index
// ---------------------------------------------------------------------------------------------------------------

interface DocMeta {
  kind: string;
  url: string;
  title: string;
  scope: string[] | undefined;
}

interface DocRow {
  doc_key: string;
  kind: string;
  title: string;
  body: string;
  keywords: string;
  url: string;
  scope: string;
  deleted: number;
  seq: number;
}

/**
 * A procedure's code, field and audience from its search document (procedures.service.ts `procedureSearchDoc`: the
 * key is "procedure:{code}", the body is the field, " · ", the subjects who may file it, " · ", its results; the
 * audience is `audienceOf` the subjects); null for other kinds.
 */
export type ProcedureOfDoc = { id: string; code: string; field: string; audience: string | null };

export function procedureOfDoc(r: { doc_key: string; kind: string; body: string }): ProcedureOfDoc | null {
  if (r.kind !== "procedure" || !r.doc_key.startsWith("procedure:")) return null;
  const [field = "", subjects = ""] = r.body.split(" · ");
  return { id: r.doc_key, code: r.doc_key.slice("procedure:".length), field, audience: audienceOf(subjects) };
}

/** The search state of one database in this process. */
export class SearchService {
  readonly index = new SearchIndex();
  /** Each owner's synonym entries, as loaded. */
  private synonymsByOwner = new Map<string, SynonymEntry[]>();
  /** The table a ward searches with: the same array until the rows change, so the engine compiles it once. */
  private synonymsOfWard = new Map<string, SynonymTable>();
  private readonly meta = new Map<string, DocMeta>();
  /** The document at each path ("/thu-tuc/1.001193" → "procedure:1.001193"), for counting opens. */
  private readonly atUrl = new Map<string, string>();
  /** Procedures' codes and fields, by document id: what the prior's weights apply to. */
  private readonly procedureOf = new Map<string, ProcedureOfDoc>();
  /** The prior's rows (search_priors, search_prior_learned), as loaded. */
  private priorRows: { owner: string; target: string; key: string; weight: number }[] = [];
  /** The owners with at least one of those rows. */
  private priorOwners = new Set<string>();
  private learned = new Map<string, number>();
  private priorKey = "";
  /** The prior a ward searches with, per reading owners; emptied when the weights or the procedures change. */
  private priorOfWard = new Map<string, ReadonlyMap<string, number>>();
  /** Sequence number applied per document key (removed documents included), for the full comparison. */
  private readonly applied = new Map<string, number>();
  private seq = -1;
  private synonymsKey = "";
  /**
   * What the words of the national examples of queries led to (`search_examples`, core/search/associations.ts),
   * learnt again when the examples or the national synonyms (which say which words are filler) change.
   */
  associations: Associations = learnAssociations([]);
  private examplesKey = "";
  private resyncedAt = 0;
  /** The change clock (core/db/changes.ts) when the last completed check began; null before the first. */
  checkedAt: number | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** The next check also compares every key (see RESYNC_MS). */
  private resyncNext = false;
  /** Whether the first full load is done: until then a search would wait for the whole build (see /readyz). */
  ready = false;

  /** The synonyms a ward's search uses: the national defaults, then its province's and its own additions. */
  synonymsFor(ward: Pick<Ward, "unit" | "province">): SynonymTable {
    return this.synonymsOf(ownersReadBy(ward));
  }

  /** The table of these owners' entries, one array per set of owners with entries (the engine compiles each once). */
  private synonymsOf(readers: readonly Owner[]): SynonymTable {
    // Only the owners with entries of their own name the table: the many wards without any share one, compiled once
    // (a table per ward would be compiled again at each ward's first search, and kept 3,321 times over).
    const owners = readers.filter((o) => (this.synonymsByOwner.get(o)?.length ?? 0) > 0);
    const key = owners.join(" ");
    let table = this.synonymsOfWard.get(key);
    if (!table) {
      table = owners.flatMap((o) => this.synonymsByOwner.get(o) ?? []);
      this.synonymsOfWard.set(key, table);
    }
    return table;
  }

  /**
   * The prior a ward's search uses (core/search/prior.ts): the field and procedure weights of the nation, then of
   * its province, then its own (the latter win), plus what was learned from opens. The same map until they change.
   */
  priorFor(ward: Pick<Ward, "unit" | "province">): ReadonlyMap<string, number> {
    // As for synonyms: wards without weights of their own share their province's (or the nation's) map.
    const owners = ownersReadBy(ward).filter((o) => this.priorOwners.has(o));
    const key = owners.join(" ");
    let map = this.priorOfWard.get(key);
    if (!map) {
      const fields = new Map<string, number>();
      const procedures = new Map<string, number>();
      const audiences = new Map<string, number>();
      const byTarget: Record<string, Map<string, number>> = {
        field: fields,
        procedure: procedures,
        audience: audiences,
      };
      for (const owner of owners)
        for (const r of this.priorRows) if (r.owner === owner) byTarget[r.target]?.set(r.key, r.weight);
      map = priorMap(this.procedureOf.values(), { fields, procedures, audiences, learned: this.learned });
      this.priorOfWard.set(key, map);
    }
    return map;
  }

  /** The procedures of the index: document id, code, field and audience. */
  procedures(): IterableIterator<ProcedureOfDoc> {
    return this.procedureOf.values();
  }

  /** The search document a path of this portal leads to (without the ward's base), if any. */
  docAt(path: string): string | undefined {
    return this.atUrl.get(path);
  }

  /** Where a document leads (its path, without the ward's base) and its kind; undefined when unknown. */
  metaOf(id: string): DocMeta | undefined {
    return this.meta.get(id);
  }

  /** Whether the periodic full comparison of keys (the safety net of the delta) is due. */
  resyncDue(now = Date.now()): boolean {
    return now - this.resyncedAt >= RESYNC_MS;
  }

  /**
   * Bring the index up to date with the database. Checks run one at a time; a caller arriving while one runs
   * waits for the next, which starts after it arrived, so it sees every write committed before its request.
   */
  refresh(db: Db, opts: { resync?: boolean } = {}): Promise<void> {
    if (opts.resync) this.resyncNext = true;
    if (!this.running) {
      this.running = this.check(db).finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh(db);
      });
    return this.queued;
  }

  private async check(db: Db): Promise<void> {
    const r = await sql<{ seq: number | string | null; n: number | string; m: number | string | null }>`
      select (select max(seq) from search_docs) as seq,
             (select count(*) from search_synonyms) as n,
             (select max(id) from search_synonyms) as m,
             (select count(*) from search_priors) as pn,
             (select max(id) from search_priors) as pm,
             (select count(*) from search_prior_learned) as ln,
             (select max(id) from search_prior_learned) as lm,
             (select count(*) from search_examples) as en,
             (select max(id) from search_examples) as em`.execute(db.kysely);
    const row = r.rows[0] as (typeof r.rows)[0] &
      Record<"pn" | "pm" | "ln" | "lm" | "en" | "em", number | string | null>;
    const key = `${Number(row?.n ?? 0)}:${Number(row?.m ?? 0)}`;
    const examplesKey = `${key}|${Number(row?.en ?? 0)}:${Number(row?.em ?? 0)}`;
    if (key !== this.synonymsKey) await this.loadSynonyms(db, key);
    if (examplesKey !== this.examplesKey) await this.loadExamples(db, examplesKey);
    const priorKey = [row?.pn, row?.pm, row?.ln, row?.lm].map((x) => Number(x ?? 0)).join(":");
    if (priorKey !== this.priorKey) await this.loadPrior(db, priorKey);
    const max = Number(row?.seq ?? 0);
    const now = Date.now();
    const loadAll = this.seq < 0;
    const resync = !loadAll && (this.resyncNext || now - this.resyncedAt >= RESYNC_MS);
    this.resyncNext = false;
    if (loadAll) {
      await this.apply(await db.kysely.selectFrom("search_docs").selectAll().where("deleted", "=", 0).execute());
      this.seq = Math.max(this.seq, 0);
      this.resyncedAt = now;
      this.ready = true;
    } else if (max > this.seq) {
      await this.apply(
        await db.kysely.selectFrom("search_docs").selectAll().where("seq", ">", this.seq).orderBy("seq").execute(),
      );
    }
    if (resync) {
      this.resyncedAt = now;
      await this.resync(db);
    }
  }

  private async loadSynonyms(db: Db, key: string): Promise<void> {
    const rows = await db.kysely
      .selectFrom("search_synonyms")
      .select(["owner", "term", "expansions"])
      .orderBy("id")
      .execute();
    const byOwner = new Map<string, SynonymEntry[]>();
    for (const r of rows) {
      const e = synonymEntryOf(r.term, r.expansions);
      if (!e) continue;
      const list = byOwner.get(r.owner) ?? [];
      list.push(e);
      byOwner.set(r.owner, list);
    }
    this.synonymsByOwner = byOwner;
    this.synonymsOfWard = new Map();
    this.synonymsKey = key;
  }

  /** Learn the associations from the national examples, reading their words with the national synonyms. */
  private async loadExamples(db: Db, key: string): Promise<void> {
    const rows = await db.kysely
      .selectFrom("search_examples")
      .select(["query", "doc_keys"])
      .where("owner", "=", NATION)
      .orderBy("id")
      .execute();
    const examples = rows.flatMap((r) => {
      try {
        const ids = JSON.parse(r.doc_keys) as unknown;
        return Array.isArray(ids) ? [{ q: r.query, ids: ids.filter((x): x is string => typeof x === "string") }] : [];
      } catch {
        return [];
      }
    });
    // The nation's table as the wards without entries of their own search with it: the same array, compiled once
    // (a copy of its 8,000 entries compiled for learning alone held 18 MB).
    this.associations = learnAssociations(examples, this.synonymsOf([NATION]));
    this.examplesKey = key;
  }

  /** The prior's weights (staff-set per field and procedure, learned per document). Edits replace rows (new ids), so
   *  the count and highest id of each table tell a change. */
  private async loadPrior(db: Db, key: string): Promise<void> {
    const rows = await db.kysely
      .selectFrom("search_priors")
      .select(["owner", "target", "key", "weight"])
      .orderBy("id")
      .execute();
    const learned = await db.kysely.selectFrom("search_prior_learned").select(["doc_key", "weight"]).execute();
    this.priorRows = rows.map((r) => ({ ...r, weight: Number(r.weight) }));
    this.priorOwners = new Set(this.priorRows.map((r) => r.owner));
    this.learned = new Map(learned.map((r) => [r.doc_key, Number(r.weight)]));
    this.priorOfWard = new Map();
    this.priorKey = key;
  }

  private forget(key: string): void {
    const m = this.meta.get(key);
    if (m && this.atUrl.get(m.url) === key) this.atUrl.delete(m.url);
    this.meta.delete(key);
    if (this.procedureOf.delete(key)) this.priorOfWard = new Map();
  }

  private async apply(rows: DocRow[]): Promise<void> {
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq > this.seq) this.seq = seq;
      this.applied.set(r.doc_key, seq);
      if (Number(r.deleted) === 1) {
        this.index.remove(r.doc_key);
        this.forget(r.doc_key);
        continue;
      }
      const scope = scopeOfText(r.scope);
      this.index.upsert({ id: r.doc_key, kind: r.kind, title: r.title, body: r.body, keywords: r.keywords, scope });
      this.forget(r.doc_key);
      this.meta.set(r.doc_key, { kind: r.kind, url: r.url, title: r.title, scope });
      this.atUrl.set(r.url, r.doc_key);
      const procedure = procedureOfDoc(r);
      if (procedure) {
        this.procedureOf.set(r.doc_key, procedure);
        this.priorOfWard = new Map();
      }
    }
  }

  /** Compare every key's sequence number with what was applied; apply the rows that differ, drop vanished keys. */
  private async resync(db: Db): Promise<void> {
    const rows = await db.kysely.selectFrom("search_docs").select(["doc_key", "seq", "deleted"]).execute();
    const stale: string[] = [];
    const present = new Set<string>();
    for (const r of rows) {
      present.add(r.doc_key);
      const seq = Number(r.seq);
      if (this.applied.get(r.doc_key) === seq) continue;
      // A removed document the index never held (the first load skips them): nothing to do.
      if (Number(r.deleted) === 1 && !this.index.has(r.doc_key)) this.applied.set(r.doc_key, seq);
      else stale.push(r.doc_key);
    }
    for (const key of [...this.applied.keys()])
      if (!present.has(key)) {
        this.applied.delete(key);
        this.index.remove(key);
        this.forget(key);
      }
    for (let i = 0; i < stale.length; i += 500)
      await this.apply(
        await db.kysely
          .selectFrom("search_docs")
          .selectAll()
          .where("doc_key", "in", stale.slice(i, i + 500))
          .execute(),
      );
  }
}

// One state per database, so two apps in one process (tests, tools) never share an index.
const services = new WeakMap<Db, SearchService>();
/** The start-up builds under way (startSearchIndexBuild). */
const building = new WeakMap<Db, Promise<void>>();

/** What a search is answered while the process is still building its index (see `fresh`). */
export const INDEX_BUILDING_MESSAGE =
  "Chức năng tìm kiếm đang khởi động (đang xây dựng chỉ mục). Vui lòng thử lại sau ít giây, hoặc xem danh mục thủ tục hành chính theo lĩnh vực.";

/**
 * The search state of a database, brought up to date with it; `resync`: compare every key now (tests, tools). The
 * database is asked only when its search tables may have changed since the last check (core/db/changes.ts: told by
 * notification on PostgreSQL, by this connection's triggers on SQLite), or when the periodic full comparison is due.
 * While the start-up build runs (startSearchIndexBuild) a caller is answered at once with a 503 and a Vietnamese
 * "try again in a few seconds" rather than made to wait for the whole build; where nothing started one (a tool, a
 * test) the first caller builds it.
 */
export async function fresh(db: Db, opts: { resync?: boolean; build?: boolean } = {}): Promise<SearchService> {
  let s = services.get(db);
  if (!s) {
    s = new SearchService();
    services.set(db, s);
  }
  if (!s.ready && !opts.build && building.has(db))
    throw new AppError(503, "search_index_building", INDEX_BUILDING_MESSAGE);
  const changes = await currentChanges(db);
  const checked = s.checkedAt;
  if (!opts.resync && s.ready && checked !== null && !changes.searchChangedSince(checked) && !s.resyncDue()) return s;
  const at = changes.stamp();
  await s.refresh(db, opts);
  // The check that just ended began after `at`: every change stamped up to it is applied.
  s.checkedAt = Math.max(s.checkedAt ?? at, at);
  return s;
}

/** How many documents this process's index holds (0 before it is built). */
export function searchIndexDocuments(db: Db): number {
  return services.get(db)?.index.size ?? 0;
}

/** The memory of this process's search index in bytes (computed from its structures: core/search/index-memory.ts). */
export function searchIndexBytes(db: Db): number {
  return services.get(db)?.index.memoryBytes() ?? 0;
}

/** Whether this process has built its index of the database (a search then only applies the changes since). */
export function searchIndexReady(db: Db): boolean {
  return services.get(db)?.ready ?? false;
}

/**
 * Build the index in the background, unless it is built or being built: at start-up (main.ts, without holding up
 * the listen) and from /readyz while it is not ready, so a build that failed (the database was away) is tried again.
 * A failure is logged, never thrown.
 */
export function startSearchIndexBuild(db: Db, log: Pick<Logger, "info" | "warn">): void {
  if (searchIndexReady(db) || building.has(db)) return;
  const started = performance.now();
  const run = fresh(db, { build: true }).then(
    (s) => {
      building.delete(db);
      log.info({ documents: s.index.size, ms: Math.round(performance.now() - started) }, "search index built");
    },
    (err) => {
      building.delete(db);
      log.warn({ err: { message: (err as Error).message } }, "search index not built: tried again by /readyz");
    },
  );
  building.set(db, run);
}

// ---------------------------------------------------------------------------------------------------------------
// Searching the site
// ---------------------------------------------------------------------------------------------------------------

/** A query as searched: trimmed, at most MAX_QUERY_CHARS characters (whole code points). */
export function cleanQuery(q: string | undefined): string {
  const text = (q ?? "").replace(/\s+/g, " ").trimStart();
  const chars = [...text];
  return (chars.length > MAX_QUERY_CHARS ? chars.slice(0, MAX_QUERY_CHARS).join("") : text).trimEnd();
}

export interface SiteHit {
  id: string;
  kind: string;
  kindLabel: string;
  /** With the ward's base. */
  url: string;
  title: string;
  /** HTML-safe: the escaped title with <mark> around the matched words. */
  titleHtml: string;
  /** The ward's chosen answer to this query (a best bet), shown first. */
  pinned?: boolean;
}

export interface SiteResults {
  query: string;
  total: number;
  page: number;
  pages: number;
  items: SiteHit[];
  /** Not every word matched as typed (typos, partial matches). */
  approximate: boolean;
  /** The query corrected to words of the titles ("đăng ký khai sinh"), when some word needed correcting. */
  suggestion: string | null;
  /** When nothing matched: the closest titles. */
  closest: SiteHit[];
  /** The query as the engine read it through the lexicon ("khai sinh" for "mới sinh con"), when it did. */
  readAs: string | null;
}

function siteHit(s: SearchService, ward: Ward, h: SearchHit): SiteHit | null {
  const m = s.metaOf(h.id);
  if (!m) return null;
  return {
    id: h.id,
    kind: h.kind,
    kindLabel: KIND_LABELS[h.kind] ?? h.kind,
    url: `${ward.base}${m.url}`,
    title: h.title,
    titleHtml: h.highlights.title,
  };
}

/** Whether a document is in the index and one this ward's visitors may see (its scope), of these kinds if given. */
export function mayShow(s: SearchService, ward: Ward, id: string, kinds?: readonly string[]): boolean {
  const m = s.metaOf(id);
  if (!m || (kinds && !kinds.includes(m.kind))) return false;
  const scopes = wardScopes(ward);
  return !m.scope || m.scope.some((x) => scopes.includes(x));
}

/** The ward's best bet for a query, when it is a document this search may show. */
const visibleBet = (s: SearchService, ward: Ward, id: string | null, kinds?: readonly string[]) =>
  id && mayShow(s, ward, id, kinds) ? id : null;

/**
 * How many results each query finds now for the ward's visitors (what `searchSite` counts as its total, the pinned
 * best bet included), for a list of queries at once: one index refresh and one best-bet read, no page, no suggestion.
 */
export async function siteTotals(db: Db, ward: Ward, queries: readonly string[]): Promise<number[]> {
  const cleaned = queries.map((q) => cleanQuery(q));
  if (!cleaned.some(Boolean)) return cleaned.map(() => 0);
  const s = await fresh(db);
  const bets = await bestBetsOf(db.kysely, ward.unit.id, cleaned.map(queryKey).filter(Boolean));
  const filter = { scope: wardScopes(ward), synonyms: s.synonymsFor(ward), associations: s.associations };
  return cleaned.map((query) => {
    if (!query) return 0;
    const bet = visibleBet(s, ward, bets.get(queryKey(query)) ?? null);
    if (!bet) return s.index.search(query, { ...filter, limit: 1 }).total;
    const r = s.index.search(query, { ...filter, limit: 1_000 });
    return r.total + (r.items.some((h) => h.id === bet) ? 0 : 1);
  });
}

/**
 * Search what a ward's visitors may see: a page of results, and help when nothing (or only approximately) matched.
 * A best bet the ward pinned for this query (read from the database at each search, so a pin made on any server
 * counts at once) comes first, then the engine's order without it.
 */
export async function searchSite(
  db: Db,
  ward: Ward,
  q: string,
  opts: { kinds?: readonly string[]; page?: number; lastPageIfPast?: boolean } = {},
): Promise<SiteResults> {
  const query = cleanQuery(q);
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const empty: SiteResults = {
    query,
    total: 0,
    page: 1,
    pages: 0,
    items: [],
    approximate: false,
    suggestion: null,
    closest: [],
    readAs: null,
  };
  if (!query) return empty;
  const s = await fresh(db);
  const key = queryKey(query);
  const bet = key ? visibleBet(s, ward, await bestBetOf(db.kysely, ward.unit.id, key), opts.kinds) : null;
  const filter = {
    scope: wardScopes(ward),
    kinds: opts.kinds,
    synonyms: s.synonymsFor(ward),
    prior: s.priorFor(ward),
    associations: s.associations,
  };
  const hits = (list: SearchHit[]) => list.flatMap((h) => siteHit(s, ward, h) ?? []);
  const pageAt = (at: number) => {
    const from = (at - 1) * PAGE_SIZE;
    // With a best bet, the engine's list up to this page (and one more) is taken whole, to leave the pinned one out.
    const r = bet
      ? s.index.search(query, { ...filter, limit: from + PAGE_SIZE + 1, offset: 0 })
      : s.index.search(query, { ...filter, limit: PAGE_SIZE, offset: from });
    let items = hits(r.items);
    let total = r.total;
    if (bet) {
      const found = items.find((h) => h.id === bet);
      const m = s.metaOf(bet) as DocMeta;
      const pinned: SiteHit = found ?? {
        id: bet,
        kind: m.kind,
        kindLabel: KIND_LABELS[m.kind] ?? m.kind,
        url: `${ward.base}${m.url}`,
        title: m.title,
        titleHtml: escapeHtml(m.title),
      };
      if (!found) total += 1;
      items = [{ ...pinned, pinned: true }, ...items.filter((h) => h.id !== bet)].slice(from, from + PAGE_SIZE);
    }
    return { r, items, total };
  };
  let at = page;
  let { r, items, total } = pageAt(at);
  // Past the last page (the page's own choice): the last page, from the same index and best bet.
  if (opts.lastPageIfPast && items.length === 0 && total > 0) {
    at = Math.ceil(total / PAGE_SIZE);
    ({ r, items, total } = pageAt(at));
  }
  let suggestion: string | null = null;
  let closest: SiteHit[] = [];
  if (total === 0 || r.approximate) {
    const sug = s.index.suggest(query, { ...filter, limit: 5 });
    suggestion = sug.query;
    if (total === 0) closest = hits(sug.items);
  }
  return {
    query,
    total,
    page: at,
    pages: Math.ceil(total / PAGE_SIZE),
    items,
    approximate: r.approximate && !bet,
    suggestion,
    closest,
    readAs: r.readAs && total > 0 ? r.readAs : null,
  };
}

/**
 * Every document of an index a ward's visitors may see matching `q`, best first (ids), for callers that filter
 * further (the procedure API). Every match is scored, so the order does not depend on how many are asked for.
 */
export function allMatches(s: SearchService, ward: Ward, q: string, kinds?: readonly string[]): string[] {
  const query = cleanQuery(q);
  if (!query) return [];
  const out: string[] = [];
  const opts = {
    scope: wardScopes(ward),
    kinds,
    synonyms: s.synonymsFor(ward),
    prior: s.priorFor(ward),
    associations: s.associations,
    limit: 200,
  };
  for (;;) {
    const r = s.index.search(query, { ...opts, offset: out.length, candidateCap: Math.max(2000, s.index.size) });
    for (const h of r.items) out.push(h.id);
    if (r.items.length < 200 || out.length >= r.total) return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Editing the synonym table (staff)
// ---------------------------------------------------------------------------------------------------------------

export interface SynonymRow {
  id: number;
  owner: string;
  term: string;
  to: string[];
  weight: number | null;
}

/** The entries of these owners (the national defaults, a ward's own…), by term. */
export async function listSynonyms(db: Db, owners: readonly Owner[]): Promise<SynonymRow[]> {
  const rows = await db.kysely
    .selectFrom("search_synonyms")
    .select(["id", "owner", "term", "expansions"])
    .where("owner", "in", [...owners])
    .execute();
  // Each term's key once, and one collator (the list holds thousands of rows: the everyday lexicon).
  const keyed = rows.map((r) => {
    const e = synonymEntryOf(r.term, r.expansions);
    const row: SynonymRow = {
      id: r.id,
      owner: r.owner,
      term: r.term,
      to: e ? [...e.to] : [],
      weight: e?.weight ?? null,
    };
    return { row, key: termKey(r.term) };
  });
  return keyed.sort((a, b) => TERM_ORDER.compare(a.key, b.key) || a.row.id - b.row.id).map((k) => k.row);
}

/** The order of `localeCompare` without a locale, as one reusable collator. */
const TERM_ORDER = new Intl.Collator();

export const MAX_TERM_CHARS = 60;
export const MAX_EXPANSION_CHARS = 120;
export const MAX_EXPANSIONS = 8;

export type SynonymErrors = Partial<Record<"term" | "expansions", string>>;

/**
 * Add a word citizens type and what the catalogue says instead (one alternative per line; none: a filler word the
 * query may do without). A term that folds like an existing one of the same owner replaces it (as a new row, so
 * every server notices); a ward's entry beside a national one adds to it. Audited in the same transaction. Who may
 * write for `owner` is the caller's check (core/auth/owners.ts `mayChange`).
 */
export async function addSynonym(
  db: Db,
  actor: Actor,
  owner: Owner,
  input: { term: string; expansions: string },
  now: Date,
): Promise<{ ok: true; id: number; term: string } | { ok: false; errors: SynonymErrors }> {
  const term = nfc(input.term).replace(/\s+/g, " ").trim().toLowerCase();
  const to = [
    ...new Set(
      nfc(input.expansions)
        .split(/[\n;]/)
        .map((x) => x.replace(/\s+/g, " ").trim())
        .filter(Boolean),
    ),
  ];
  const errors: SynonymErrors = {};
  if (!termKey(term)) errors.term = "Nhập từ hoặc cụm từ người dân hay gõ (có chữ hoặc số).";
  else if (term.length > MAX_TERM_CHARS) errors.term = `Từ cần tìm: tối đa ${MAX_TERM_CHARS} ký tự.`;
  if (to.length > MAX_EXPANSIONS) errors.expansions = `Tối đa ${MAX_EXPANSIONS} cách gọi, mỗi cách một dòng.`;
  else if (to.some((x) => x.length > MAX_EXPANSION_CHARS))
    errors.expansions = `Mỗi cách gọi tối đa ${MAX_EXPANSION_CHARS} ký tự.`;
  else if (to.some((x) => !termKey(x))) errors.expansions = "Mỗi dòng cần có chữ hoặc số.";
  else if (to.some((x) => termKey(x) === termKey(term)))
    errors.expansions = "Cách gọi trong danh mục phải khác từ người dân gõ.";
  if (Object.keys(errors).length) return { ok: false, errors };
  const key = termKey(term);
  const id = await db.kysely.transaction().execute(async (trx) => {
    const same = (await trx.selectFrom("search_synonyms").selectAll().where("owner", "=", owner).execute()).filter(
      (r) => termKey(r.term) === key,
    );
    if (same.length)
      await trx
        .deleteFrom("search_synonyms")
        .where(
          "id",
          "in",
          same.map((r) => r.id),
        )
        .execute();
    const inserted = await trx
      .insertInto("search_synonyms")
      .values({ owner, term, expansions: expansionsJson({ to }) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      actor,
      {
        action: "search.synonym.add",
        entity: "search_synonym",
        entityId: inserted.id,
        before: same.length ? same.map((r) => ({ term: r.term, expansions: r.expansions })) : undefined,
        after: { owner, term, to },
      },
      now,
    );
    return inserted.id;
  });
  return { ok: true, id, term };
}

/**
 * Remove one entry: its term, null when there is none with this id, "forbidden" when its owner is not one the
 * caller may change (`mayChange(owner)`). Audited in the same transaction.
 */
export async function removeSynonym(
  db: Db,
  actor: Actor,
  id: number,
  mayChange: (owner: string) => boolean,
  now: Date,
): Promise<string | null | "forbidden"> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("search_synonyms").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return null;
    if (!mayChange(row.owner)) return "forbidden" as const;
    await trx.deleteFrom("search_synonyms").where("id", "=", id).execute();
    await audit(
      trx,
      actor,
      {
        action: "search.synonym.remove",
        entity: "search_synonym",
        entityId: id,
        before: { owner: row.owner, term: row.term, expansions: row.expansions },
      },
      now,
    );
    return row.term;
  });
}

/**
 * Where to ask in person, when known: the receiving address (and opening hours) the ward, or else its province,
 * entered most often among its procedures' local values.
 */
export async function askContact(db: Db, ward: Ward): Promise<{ address: string; hours: string | null } | null> {
  const units = [ward.unit.id, ...(ward.province ? [ward.province.id] : [])];
  const rows = await db.kysely
    .selectFrom("procedure_overrides")
    .select(["unit_id", "receiving_address", "opening_hours"])
    .where("unit_id", "in", units)
    .where("receiving_address", "is not", null)
    .execute();
  for (const unit of units) {
    const counts = new Map<string, { n: number; hours: string | null }>();
    for (const r of rows) {
      const address = r.receiving_address?.trim();
      if (r.unit_id !== unit || !address) continue;
      const c = counts.get(address) ?? { n: 0, hours: null };
      c.n++;
      c.hours ||= r.opening_hours?.trim() || null;
      counts.set(address, c);
    }
    const best = [...counts].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))[0];
    if (best) return { address: best[0], hours: best[1].hours };
  }
  return null;
}
