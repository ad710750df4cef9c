/**
 * Staff (administrator, coordinator of the ward; a deployment operator also sees every ward together):
 * `/quan-tri/nhat-ky-tim-kiem`, the queries citizens searched over a period that found nothing or whose results
 * nobody opened, most frequent first; beside each, in one step, pin a procedure as the query's best answer (the
 * ward's own search) or add a lexicon entry (the synonym table, through `addSynonym`). Every change audited, CSRF.
 */
import { type Context, Hono } from "hono";
import { isOperator, mayChange, NATION, type Owner, unitOwner } from "../../core/auth/owners.ts";
import { formatDate, parseDateInput, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden } from "../../core/web/errors.ts";
import { CsrfField, FieldError, readFormValues, SavedNotice } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { NATIONAL_ONLY, requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf } from "../../core/web/staff.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { wardCatalogue } from "../procedures/procedures.catalogue.ts";
import { addSynonym, siteTotals } from "./search.service.ts";
import {
  type BestBet,
  failedQueries,
  type LoggedQuery,
  listBestBets,
  pinBestBet,
  unpinBestBet,
} from "./search-learn.service.ts";
import { firstKeptDay } from "./search-log.ts";

type C = Context<AppEnv>;

const PATH = "/quan-tri/nhat-ky-tim-kiem";
/** The period shown when none is chosen. */
const DEFAULT_DAYS = 30;

interface Row extends LoggedQuery {
  /** Results the query finds now (after a lexicon entry or a pin, more than the log says). */
  now: number;
}

function QueryTable(props: {
  csrf: string;
  rows: Row[];
  list: "z" | "u";
  label: string;
  national: boolean;
  errors: FieldErrors;
}) {
  const { csrf, rows, list, national, errors } = props;
  if (rows.length === 0) return <p class="muted">Không có câu tìm nào trong khoảng thời gian này.</p>;
  return (
    <section class="table-wrap" aria-label={props.label} tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Người dân gõ</th>
            <th scope="col">Số lần tìm</th>
            <th scope="col">Kết quả (lúc tìm / hiện nay)</th>
            <th scope="col">Lần cuối</th>
            <th scope="col">Xử lý</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const ma = `ma-${list}-${i}`;
            const goi = `goi-${list}-${i}`;
            return (
              <tr>
                <td>{r.query}</td>
                <td>{r.searches}</td>
                <td>
                  {r.results} / {r.now}
                </td>
                <td>{formatDate(r.lastDay)}</td>
                <td>
                  {national ? null : (
                    <form method="post" action={`${PATH}/ghim`}>
                      <CsrfField token={csrf} />
                      <input type="hidden" name="q" value={r.query} />
                      <input type="hidden" name="o" value={ma} />
                      <label for={ma}>Ghim thủ tục (mã)</label>
                      <FieldError errors={errors} id={ma} />
                      <input
                        type="text"
                        id={ma}
                        name="ma"
                        list="thu-tuc"
                        aria-invalid={errors[ma] ? "true" : undefined}
                        aria-describedby={errors[ma] ? `${ma}-loi` : undefined}
                      />
                      <button type="submit" class="btn secondary">
                        Ghim làm câu trả lời
                      </button>
                    </form>
                  )}
                  <form method="post" action={`${PATH}/tu-dong-nghia`}>
                    <CsrfField token={csrf} />
                    <input type="hidden" name="term" value={r.query} />
                    <input type="hidden" name="o" value={goi} />
                    {national ? <input type="hidden" name="pham-vi" value="ca-nuoc" /> : null}
                    <label for={goi}>Tìm cả theo (cách gọi trong danh mục)</label>
                    <FieldError errors={errors} id={goi} />
                    <input
                      type="text"
                      id={goi}
                      name="expansions"
                      aria-invalid={errors[goi] ? "true" : undefined}
                      aria-describedby={errors[goi] ? `${goi}-loi` : undefined}
                    />
                    <button type="submit" class="btn secondary">
                      Thêm vào từ đồng nghĩa
                    </button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function BestBets({ csrf, bets }: { csrf: string; bets: BestBet[] }) {
  if (bets.length === 0) return <p class="muted">Chưa ghim câu trả lời nào.</p>;
  return (
    <ul>
      {bets.map((b) => (
        <li>
          «{b.query}» → {b.title ?? <span class="muted">{b.docKey} (không còn trong danh mục, không dùng)</span>}{" "}
          <form method="post" action={`${PATH}/bo-ghim`} class="inline">
            <CsrfField token={csrf} />
            <input type="hidden" name="id" value={String(b.id)} />
            <button type="submit" class="btn secondary" aria-label={`Bỏ ghim «${b.query}»`}>
              Bỏ ghim
            </button>
          </form>
        </li>
      ))}
    </ul>
  );
}

/** The period asked for (`tu`, `den`: dd/mm/yyyy or yyyy-mm-dd), the last DEFAULT_DAYS days by default. */
function periodOf(c: C): { from: string; to: string; errors: FieldErrors } {
  const today = vnToday(c.get("deps").clock());
  const errors: FieldErrors = {};
  const read = (name: "tu" | "den", fallback: string) => {
    const v = (c.req.query(name) ?? "").trim();
    if (!v) return fallback;
    const d = parseDateInput(v);
    if (!d) errors[name] = `${name === "tu" ? "Từ ngày" : "Đến ngày"}: nhập ngày dạng dd/mm/yyyy.`;
    return d ?? fallback;
  };
  const from = read("tu", firstKeptDay(c.get("deps").clock(), DEFAULT_DAYS));
  const to = read("den", today);
  if (from > to) errors.tu = "Từ ngày phải trước hoặc bằng đến ngày.";
  return { from, to, errors };
}

async function renderPage(c: C, posted: { errors?: FieldErrors } = {}) {
  const { db, clock, config } = c.get("deps");
  const ward = c.get("ward");
  const session = sessionOf(c);
  const national = isOperator(session.user) && c.req.query("pham-vi") === "ca-nuoc";
  const period = periodOf(c);
  const errors = { ...period.errors, ...(posted.errors ?? {}) };
  const lists = await failedQueries(db, national ? null : ward.unit.id, period.from, period.to);
  // How many results each query finds today: one index refresh and one best-bet read for the whole list.
  const withNow = async (rows: LoggedQuery[]): Promise<Row[]> => {
    const totals = await siteTotals(
      db,
      ward,
      rows.map((r) => r.query),
    );
    return rows.map((r, i) => ({ ...r, now: totals[i] ?? 0 }));
  };
  const zero = await withNow(lists.zero);
  const unopened = await withNow(lists.unopened);
  const procedures = (await wardCatalogue(db.kysely, ward, vnToday(clock()), config.procedureLevels)).filter(
    (e) => e.status !== "abolished",
  );
  const q = c.req.query();
  const saved = q["da-ghim"]
    ? `Đã ghim câu trả lời cho «${q["da-ghim"]}».`
    : q["da-luu"]
      ? `Đã thêm «${q["da-luu"]}» vào từ đồng nghĩa.`
      : q["bo-ghim"]
        ? `Đã bỏ ghim «${q["bo-ghim"]}».`
        : undefined;
  const csrf = session.csrfToken;
  if (Object.keys(errors).length) c.status(400);
  return c.html(
    <Layout title="Nhật ký tìm kiếm" ward={ward} session={session} staff>
      <ErrorSummary errors={errors} />
      <h1>Nhật ký tìm kiếm</h1>
      <p>
        Những câu người dân tìm trên cổng {national ? "của mọi phường, xã" : `của ${ward.unit.name}`} mà không tìm thấy
        gì, hoặc có kết quả nhưng không ai mở. Nhật ký không ghi ai tìm; số điện thoại, số giấy tờ, thư điện tử đã được
        bỏ trước khi lưu. Ghim một thủ tục làm câu trả lời, hoặc thêm cách gọi vào từ đồng nghĩa: có hiệu lực ngay.
      </p>
      <SavedNotice message={saved} />
      <form method="get" action={PATH}>
        <label for="tu">Từ ngày</label>
        <input type="text" id="tu" name="tu" value={formatDate(period.from)} inputmode="numeric" />
        <label for="den">Đến ngày</label>
        <input type="text" id="den" name="den" value={formatDate(period.to)} inputmode="numeric" />
        {isOperator(session.user) ? (
          <>
            <label for="pham-vi">Phạm vi</label>
            <select id="pham-vi" name="pham-vi">
              <option value="phuong" selected={!national}>
                {ward.unit.name}
              </option>
              <option value="ca-nuoc" selected={national}>
                Mọi phường, xã
              </option>
            </select>
          </>
        ) : null}
        <button type="submit" class="btn">
          Xem
        </button>
      </form>
      <h2>Không tìm thấy kết quả ({zero.length})</h2>
      <QueryTable
        csrf={csrf}
        rows={zero}
        list="z"
        label="Câu tìm không có kết quả"
        national={national}
        errors={errors}
      />
      <h2>Có kết quả nhưng không ai mở ({unopened.length})</h2>
      <QueryTable
        csrf={csrf}
        rows={unopened}
        list="u"
        label="Câu tìm có kết quả không ai mở"
        national={national}
        errors={errors}
      />
      <h2>Câu trả lời đã ghim</h2>
      <BestBets csrf={csrf} bets={await listBestBets(db, ward)} />
      <datalist id="thu-tuc">
        {procedures.map((p) => (
          <option value={p.code}>{p.name}</option>
        ))}
      </datalist>
    </Layout>,
  );
}

/** Routes under /quan-tri: `app.route("/quan-tri", searchLearnRoutes())`. Each checks login, CSRF and role. */
export function searchLearnRoutes() {
  const app = new Hono<AppEnv>();
  const manage = requireAction("search.manage");
  const back = (c: C, param: string, value: string) => c.redirect(`${PATH}?${param}=${encodeURIComponent(value)}`, 303);

  app.get("/nhat-ky-tim-kiem", requireStaff, requireCsrf, manage, (c) => renderPage(c));

  // A ward pins for itself only: the ward is the signed-in user's, whatever the form says.
  app.post("/nhat-ky-tim-kiem/ghim", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const r = await pinBestBet(
      c.get("deps").db,
      actorOf(c),
      c.get("ward"),
      { query: values.q ?? "", code: values.ma ?? "" },
      c.get("deps").clock(),
    );
    if (!r.ok) {
      const field = /^ma-[zu]-\d{1,3}$/.test(values.o ?? "") ? (values.o as string) : "ma";
      const errors = { [field]: r.errors.code ?? r.errors.query ?? "" };
      return renderPage(c, { errors });
    }
    return back(c, "da-ghim", r.query);
  });

  app.post("/nhat-ky-tim-kiem/bo-ghim", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const id = Number(values.id);
    const query = Number.isSafeInteger(id)
      ? await unpinBestBet(c.get("deps").db, actorOf(c), c.get("ward"), id, c.get("deps").clock())
      : null;
    return query === null ? c.redirect(PATH, 303) : back(c, "bo-ghim", query);
  });

  // The synonym table's own write and checks; a ward's entry unless an operator chose the national list.
  app.post("/nhat-ky-tim-kiem/tu-dong-nghia", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const user = sessionOf(c).user;
    const owner: Owner = values["pham-vi"] === "ca-nuoc" ? NATION : unitOwner(user.ward_id);
    if (!mayChange(user, owner === NATION ? "nation" : "ward", owner)) throw forbidden(NATIONAL_ONLY);
    const field = /^goi-[zu]-\d{1,3}$/.test(values.o ?? "") ? (values.o as string) : "expansions";
    // Here an empty line would turn the query into a filler word: this page only adds what it means.
    if (!(values.expansions ?? "").trim())
      return renderPage(c, { errors: { [field]: "Nhập cách gọi trong danh mục mà câu tìm này muốn nói." } });
    const r = await addSynonym(
      c.get("deps").db,
      actorOf(c),
      owner,
      { term: values.term ?? "", expansions: values.expansions ?? "" },
      c.get("deps").clock(),
    );
    if (!r.ok) return renderPage(c, { errors: { [field]: r.errors.expansions ?? r.errors.term ?? "" } });
    return back(c, "da-luu", r.term);
  });

  return app;
}
