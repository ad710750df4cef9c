/** The radio's staff pages: the bulletins and broadcast log, a bulletin's form, one bulletin, clusters, abbreviations. */
import { can, type Role } from "../../core/auth/roles.ts";
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import {
  CsrfField,
  describedBy,
  FieldError,
  type FormState,
  SavedNotice,
  TextAreaField,
  TextField,
} from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import {
  ReasonForms,
  reasonSteps,
  StepButtons,
  StepHistory,
  type StepWords,
  stepOfPath,
} from "../../core/web/workflow-forms.tsx";
import { AUDIO_STATES, BULLETIN_STATUSES, type BulletinStep, FORM_ITEMS, SLOTS, stepsOpenTo } from "./radio.rules.ts";
import { audioPath, slotOf } from "./radio.service.ts";
import type { BulletinRow } from "./radio.sql.ts";

const statusOf = (s: string) => BULLETIN_STATUSES[s as keyof typeof BULLETIN_STATUSES] ?? s;
const n = (v: number) => v.toLocaleString("vi-VN");
/** "3 phút 05 giây". */
export const durationText = (ms: number | null) => {
  if (ms == null) return "";
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} phút ${String(s % 60).padStart(2, "0")} giây`;
};

export interface Cluster {
  id: number;
  name: string;
  place: string;
  audience: number;
  active: number;
}

export interface BroadcastLine {
  id: number;
  bulletin_id: number;
  title: string;
  aired_on: string;
  aired_at: string;
  duration_s: number;
  cluster_names: string;
  listens: number;
  withdrawn_at: string | null;
}

export function RadioListPage(props: {
  ward: Ward;
  session: ActiveSession;
  bulletins: BulletinRow[];
  broadcasts: BroadcastLine[];
  speech: boolean;
}) {
  const role = props.session.user.role as Role;
  return (
    <Layout title="Phát thanh" ward={props.ward} session={props.session} staff>
      <h1>Đài truyền thanh phường: bản tin</h1>
      <p>
        Bản tin do đơn vị soạn, Văn phòng xem xét, lãnh đạo duyệt. Khi duyệt, hệ thống tạo tệp âm thanh (giọng đọc tiếng
        Việt) ở chế độ nền. Ghi nhận đã phát (qua các cụm loa) thì bản tin được tính là một hoạt động tuyên truyền, số
        lượt nghe ước tính theo cụm loa.
      </p>
      {props.speech ? null : (
        <p class="notice" role="status">
          Máy chủ chưa cài chương trình đọc tiếng Việt (espeak-ng, ffmpeg) nên không tự tạo được âm thanh. Sau khi bản
          tin được duyệt, hãy tải lên bản ghi âm do cán bộ đọc.
        </p>
      )}
      <p>
        {can(role, "radio.write") ? (
          <>
            <a class="btn" href="/quan-tri/phat-thanh/moi">
              Soạn bản tin
            </a>{" "}
            <a class="btn" href="/quan-tri/phat-thanh/moi?tu-du-lieu=1">
              Soạn từ dữ liệu của cổng
            </a>{" "}
          </>
        ) : null}
        <a href="/quan-tri/phat-thanh/cum-loa">Cụm loa</a> · <a href="/quan-tri/phat-thanh/viet-tat">Chữ viết tắt</a> ·{" "}
        <a href="/phat-thanh/danh-sach.m3u">Danh sách phát (M3U)</a>
      </p>
      {props.bulletins.length ? (
        <section class="table-wrap" aria-label="Bản tin" tabindex={0}>
          <table>
            <caption>Bản tin</caption>
            <thead>
              <tr>
                <th scope="col">Bản tin</th>
                <th scope="col">Ngày, buổi phát</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Âm thanh</th>
              </tr>
            </thead>
            <tbody>
              {props.bulletins.map((b) => (
                <tr>
                  <th scope="row">
                    <a href={`/quan-tri/phat-thanh/${b.id}`}>{b.title}</a>
                  </th>
                  <td>
                    {formatDate(b.broadcast_on)}, {slotOf(b.slot).toLowerCase()}
                  </td>
                  <td>{b.org_unit_name}</td>
                  <td>{statusOf(b.status)}</td>
                  <td>{AUDIO_STATES[b.audio_state as keyof typeof AUDIO_STATES] ?? b.audio_state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p>Chưa có bản tin nào.</p>
      )}
      <h2>Nhật ký phát thanh</h2>
      {props.broadcasts.length ? (
        <section class="table-wrap" aria-label="Nhật ký phát thanh" tabindex={0}>
          <table>
            <caption>Các buổi đã phát</caption>
            <thead>
              <tr>
                <th scope="col">Bản tin</th>
                <th scope="col">Phát lúc</th>
                <th scope="col">Thời lượng</th>
                <th scope="col">Cụm loa</th>
                <th scope="col">Lượt nghe ước tính</th>
              </tr>
            </thead>
            <tbody>
              {props.broadcasts.map((l) => (
                <tr>
                  <th scope="row">
                    <a href={`/quan-tri/phat-thanh/${l.bulletin_id}`}>{l.title}</a>
                    {l.withdrawn_at ? <strong> (đã hủy)</strong> : null}
                  </th>
                  <td>
                    {l.aired_at} ngày {formatDate(l.aired_on)}
                  </td>
                  <td>{Math.round(l.duration_s / 60)} phút</td>
                  <td>{l.cluster_names}</td>
                  <td>{n(l.listens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p>Chưa ghi nhận buổi phát nào.</p>
      )}
    </Layout>
  );
}

export function BulletinFormPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  units: { id: number; name: string }[];
  bulletin?: BulletinRow;
  /** When the items were written from the portal's data: since which day. */
  draftedSince?: string;
}) {
  const { state } = props;
  const v = state.values;
  const action = props.bulletin ? `/quan-tri/phat-thanh/${props.bulletin.id}/sua` : "/quan-tri/phat-thanh/moi";
  let blocks = FORM_ITEMS;
  while (v[`item${blocks + 1}Title`] != null || v[`item${blocks + 1}Script`] != null) blocks++;
  return (
    <Layout title={props.bulletin ? "Sửa bản tin" : "Soạn bản tin"} ward={props.ward} session={props.session} staff>
      <h1>{props.bulletin ? `Sửa: ${props.bulletin.title}` : "Soạn bản tin phát thanh"}</h1>
      {props.draftedSince ? (
        <p class="notice" role="status">
          Các mục dưới đây được viết sẵn từ dữ liệu của cổng từ ngày {formatDate(props.draftedSince)} (thủ tục công bố,
          sửa đổi, bãi bỏ; trả lời phản ánh, câu hỏi; lịch hội nghị; văn bản mới có hiệu lực). Hãy đọc lại, sửa cho phù
          hợp rồi lưu.
        </p>
      ) : null}
      <ErrorSummary errors={state.errors} />
      <form method="post" action={action} id="ban-tin" novalidate>
        <CsrfField token={props.session.csrfToken} />
        <TextField id="title" name="title" label="Tên bản tin" state={state} />
        <label for="orgUnitId">Đơn vị soạn</label>
        <FieldError errors={state.errors} id="orgUnitId" />
        <select id="orgUnitId" name="orgUnitId" aria-describedby={describedBy(state.errors, "orgUnitId")}>
          {props.units.map((u) => (
            <option value={String(u.id)} selected={v.orgUnitId === String(u.id)}>
              {u.name}
            </option>
          ))}
        </select>
        <TextField id="broadcastOn" name="broadcastOn" label="Ngày phát" hint="dd/mm/yyyy" state={state} />
        <label for="slot">Buổi phát</label>
        <FieldError errors={state.errors} id="slot" />
        <select id="slot" name="slot" aria-describedby={describedBy(state.errors, "slot")}>
          {Object.entries(SLOTS).map(([k, label]) => (
            <option value={k} selected={v.slot === k}>
              {label}
            </option>
          ))}
        </select>
        <FieldError errors={state.errors} id="items" />
        {Array.from({ length: blocks }, (_, i) => (
          <fieldset>
            <legend>Mục {i + 1}</legend>
            <TextField id={`item${i + 1}Title`} name={`item${i + 1}Title`} label="Tiêu đề" state={state} />
            <TextAreaField
              id={`item${i + 1}Script`}
              name={`item${i + 1}Script`}
              label="Nội dung đọc"
              hint="Viết như khi đọc trên loa. Số, ngày tháng, chữ viết tắt được chuyển thành lời đọc; mã thủ tục, địa chỉ trang web không được đọc."
              state={state}
              rows={6}
            />
          </fieldset>
        ))}
        <p class="hint">Để trống các mục không dùng. Thứ tự các mục là thứ tự đọc.</p>
        <button type="submit">{props.bulletin ? "Lưu" : "Lưu dự thảo"}</button>
      </form>
    </Layout>
  );
}

const STEP_WORDS: StepWords<BulletinStep> = {
  buttons: {
    submit: "Trình Văn phòng",
    review: "Đã xem xét, trình lãnh đạo",
    send_back: "Trả lại để sửa",
    approve: "Duyệt bản tin",
    air: "Ghi nhận đã phát",
    withdraw: "Hủy bản tin",
  },
  paths: {
    submit: "trinh",
    review: "xem-xet",
    send_back: "tra-lai",
    approve: "duyet",
    air: "da-phat",
    withdraw: "huy",
  },
};
export const STEP_OF_PATH = stepOfPath(STEP_WORDS.paths);

export function BulletinPage(props: {
  ward: Ward;
  session: ActiveSession;
  bulletin: BulletinRow;
  items: { title: string; script: string }[];
  script: string;
  reading: string;
  clusters: Cluster[];
  broadcast: BroadcastLine | null;
  steps: { from_status: string; to_status: string; at: string; actor: string; note: string | null }[];
  speech: boolean;
  state: FormState;
  saved?: string;
  today: string;
}) {
  const b = props.bulletin;
  const { state } = props;
  const user = props.session.user;
  const open = stepsOpenTo({ role: user.role as Role, org_unit_id: user.org_unit_id }, b);
  const base = `/quan-tri/phat-thanh/${b.id}`;
  const stepForms = { base, csrfToken: props.session.csrfToken, words: STEP_WORDS };
  const csrf = <CsrfField token={props.session.csrfToken} />;
  const mayWrite = can(user.role as Role, "radio.write");
  const approved = b.status === "approved" || b.status === "aired";
  return (
    <Layout title={b.title} ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <h1>{b.title}</h1>
      <p>
        Trạng thái: <strong>{statusOf(b.status)}</strong>
        {b.return_reason && b.status === "draft" ? ` · Lý do trả lại: ${b.return_reason}` : ""}
        {b.withdrawn_reason ? ` · Lý do hủy: ${b.withdrawn_reason}` : ""}
      </p>
      <dl class="facts">
        <dt>Ngày, buổi phát</dt>
        <dd>
          {formatDate(b.broadcast_on)}, {slotOf(b.slot).toLowerCase()}
        </dd>
        <dt>Đơn vị soạn</dt>
        <dd>{b.org_unit_name}</dd>
        <dt>Âm thanh</dt>
        <dd>
          {AUDIO_STATES[b.audio_state as keyof typeof AUDIO_STATES] ?? b.audio_state}
          {b.audio_error ? `: ${b.audio_error}` : ""}
          {b.audio_state === "ready"
            ? ` · ${b.audio_origin === "upload" ? "bản ghi âm tải lên" : `giọng đọc máy (${b.audio_voice})`}, ${durationText(b.audio_duration_ms)}`
            : ""}
        </dd>
        {props.broadcast ? (
          <>
            <dt>Đã phát</dt>
            <dd>
              {props.broadcast.aired_at} ngày {formatDate(props.broadcast.aired_on)},{" "}
              {Math.round(props.broadcast.duration_s / 60)} phút, qua {props.broadcast.cluster_names}; ước tính{" "}
              {n(props.broadcast.listens)} lượt nghe
              {props.broadcast.withdrawn_at ? " (đã hủy)" : ""}
            </dd>
          </>
        ) : null}
      </dl>
      {b.audio_state === "ready" && b.audio_sha256 ? (
        <p>
          <audio controls preload="none" src={`${props.ward.base}${audioPath(b)}`}>
            <track
              kind="captions"
              src={`${props.ward.base}/phat-thanh/${b.id}/phu-de.vtt`}
              srclang="vi"
              label="Tiếng Việt"
              default
            />
            <a href={`${props.ward.base}${audioPath(b)}`}>Tải tệp âm thanh</a>
          </audio>
          <br />
          <a href={`${props.ward.base}${audioPath(b)}`} download>
            Tải tệp âm thanh
          </a>
          {b.audio_command ? <span class="muted small"> · Tạo bằng: {b.audio_command}</span> : null}
        </p>
      ) : null}
      {!props.speech && approved ? (
        <p class="notice" role="status">
          Máy chủ chưa cài espeak-ng nên không tự tạo được giọng đọc. Hãy tải lên bản ghi âm do cán bộ đọc.
        </p>
      ) : null}
      <p>{b.status === "draft" && open.includes("submit") ? <a href={`${base}/sua`}>Sửa</a> : null}</p>
      <div class="two-columns">
        <section aria-labelledby="ban-viet">
          <h2 id="ban-viet">Bản viết</h2>
          <p class="prewrap">{props.script}</p>
        </section>
        <section aria-labelledby="ban-doc">
          <h2 id="ban-doc">Bản đọc (sau khi chuẩn hóa)</h2>
          <p class="hint">
            Đây là lời máy sẽ đọc: số, ngày tháng, giờ, tiền, chữ viết tắt đã thành lời; mã thủ tục và địa chỉ web được
            bỏ.
          </p>
          <p class="prewrap">{props.reading}</p>
        </section>
      </div>
      <StepButtons {...stepForms} steps={open.filter((s) => s === "submit" || s === "review" || s === "approve")} />
      {approved && mayWrite && props.speech ? (
        <form method="post" action={`${base}/tao-am-thanh`}>
          {csrf}
          <button type="submit">{b.audio_state === "ready" ? "Tạo lại giọng đọc máy" : "Tạo giọng đọc máy"}</button>
        </form>
      ) : null}
      {b.status !== "withdrawn" && mayWrite ? (
        <form method="post" action={`${base}/ghi-am`} enctype="multipart/form-data" id="ghi-am" novalidate>
          {csrf}
          <h2>Tải lên bản ghi âm</h2>
          <label for="recording">
            Tệp ghi âm{" "}
            <span class="hint" id="recording-goi-y">
              MP3, OGG/Opus, WAV, FLAC hoặc M4A, tối đa 60 MB
            </span>
          </label>
          <FieldError errors={state.errors} id="recording" />
          <input
            type="file"
            id="recording"
            name="recording"
            accept="audio/*"
            aria-describedby={describedBy(state.errors, "recording", "recording-goi-y")}
          />
          <button type="submit">Tải lên</button>
        </form>
      ) : null}
      {open.includes("air") ? (
        <form method="post" action={`${base}/da-phat`} id="da-phat" novalidate>
          {csrf}
          <h2>Ghi nhận đã phát</h2>
          <TextField
            id="airedOn"
            name="airedOn"
            label="Ngày phát"
            hint="dd/mm/yyyy"
            value={formatDate(props.today)}
            state={state}
          />
          <TextField id="airedAt" name="airedAt" label="Giờ phát" hint="hh:mm" state={state} />
          <TextField
            id="durationMinutes"
            name="durationMinutes"
            label="Thời lượng (phút)"
            inputmode="numeric"
            value={b.audio_duration_ms ? String(Math.max(1, Math.round(b.audio_duration_ms / 60000))) : ""}
            state={state}
          />
          <fieldset aria-describedby={describedBy(state.errors, "clusterIds")}>
            <legend>Cụm loa đã phát</legend>
            <FieldError errors={state.errors} id="clusterIds" />
            {props.clusters.length ? (
              props.clusters.map((c) => (
                <p>
                  <input type="checkbox" id={`cum-${c.id}`} name="clusterIds" value={String(c.id)} checked />{" "}
                  <label for={`cum-${c.id}`}>
                    {c.name} <span class="muted small">(ước tính {n(c.audience)} người nghe)</span>
                  </label>
                </p>
              ))
            ) : (
              <p>
                Phường chưa khai báo cụm loa: <a href="/quan-tri/phat-thanh/cum-loa">thêm cụm loa</a>.
              </p>
            )}
          </fieldset>
          <button type="submit">{STEP_WORDS.buttons.air}</button>
        </form>
      ) : null}
      <ReasonForms {...stepForms} steps={reasonSteps(open)} state={state} />
      <StepHistory steps={props.steps} statusOf={statusOf} />
    </Layout>
  );
}

export function ClustersPage(props: {
  ward: Ward;
  session: ActiveSession;
  clusters: Cluster[];
  state: FormState;
  saved?: string;
}) {
  const mayWrite = can(props.session.user.role as Role, "radio.write");
  return (
    <Layout title="Cụm loa" ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={props.state.errors} />
      <h1>Cụm loa truyền thanh</h1>
      <p>
        Số người nghe ước tính của mỗi cụm loa dùng để tính lượt nghe của một buổi phát (tổng các cụm loa đã phát).{" "}
        <a href="/quan-tri/phat-thanh">Về danh sách bản tin</a>
      </p>
      {props.clusters.length ? (
        <section class="table-wrap" aria-label="Cụm loa" tabindex={0}>
          <table>
            <caption>Cụm loa của phường</caption>
            <thead>
              <tr>
                <th scope="col">Cụm loa</th>
                <th scope="col">Vị trí</th>
                <th scope="col">Người nghe ước tính</th>
                <th scope="col">Tình trạng</th>
              </tr>
            </thead>
            <tbody>
              {props.clusters.map((c) => (
                <tr>
                  <th scope="row">{c.name}</th>
                  <td>{c.place}</td>
                  <td>{n(c.audience)}</td>
                  <td>
                    {c.active ? "Đang dùng" : "Ngừng dùng"}
                    {c.active && mayWrite ? (
                      <form method="post" action={`/quan-tri/phat-thanh/cum-loa/${c.id}/ngung`}>
                        <CsrfField token={props.session.csrfToken} />
                        <button type="submit" class="link">
                          Ngừng dùng {c.name}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p>Chưa có cụm loa nào.</p>
      )}
      {mayWrite ? (
        <form method="post" action="/quan-tri/phat-thanh/cum-loa" id="cum-loa" novalidate>
          <CsrfField token={props.session.csrfToken} />
          <h2>Thêm cụm loa</h2>
          <TextField id="name" name="name" label="Tên cụm loa" state={props.state} />
          <TextField id="place" name="place" label="Vị trí" state={props.state} />
          <TextField
            id="audience"
            name="audience"
            label="Số người nghe ước tính"
            inputmode="numeric"
            state={props.state}
          />
          <button type="submit">Thêm cụm loa</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function AbbreviationsPage(props: {
  ward: Ward;
  session: ActiveSession;
  rows: { id: number; ward_id: number | null; abbr: string; reading: string }[];
  state: FormState;
  saved?: string;
}) {
  const mayWrite = can(props.session.user.role as Role, "radio.write");
  const own = new Set(props.rows.filter((r) => r.ward_id != null).map((r) => r.abbr));
  return (
    <Layout title="Chữ viết tắt" ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={props.state.errors} />
      <h1>Chữ viết tắt khi đọc bản tin</h1>
      <p>
        Khi tạo giọng đọc, mỗi chữ viết tắt (đúng chữ hoa, chữ thường, đứng riêng thành một từ) được đọc thành cụm từ
        đầy đủ. Phường có thể thêm chữ của mình hoặc đọc khác mặc định.{" "}
        <a href="/quan-tri/phat-thanh">Về danh sách bản tin</a>
      </p>
      <section class="table-wrap" aria-label="Chữ viết tắt" tabindex={0}>
        <table>
          <caption>Chữ viết tắt và cách đọc</caption>
          <thead>
            <tr>
              <th scope="col">Viết tắt</th>
              <th scope="col">Đọc là</th>
              <th scope="col">Nguồn</th>
            </tr>
          </thead>
          <tbody>
            {props.rows
              .filter((r) => r.ward_id != null || !own.has(r.abbr))
              .map((r) => (
                <tr>
                  <th scope="row">{r.abbr}</th>
                  <td>{r.reading}</td>
                  <td>
                    {r.ward_id == null ? "Mặc định" : "Của phường"}
                    {r.ward_id != null && mayWrite ? (
                      <form method="post" action={`/quan-tri/phat-thanh/viet-tat/${r.id}/xoa`}>
                        <CsrfField token={props.session.csrfToken} />
                        <button type="submit" class="link">
                          Xóa {r.abbr}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </section>
      {mayWrite ? (
        <form method="post" action="/quan-tri/phat-thanh/viet-tat" id="viet-tat" novalidate>
          <CsrfField token={props.session.csrfToken} />
          <h2>Thêm hoặc sửa chữ viết tắt của phường</h2>
          <TextField id="abbr" name="abbr" label="Chữ viết tắt" state={props.state} />
          <TextField id="reading" name="reading" label="Đọc là" state={props.state} />
          <button type="submit">Lưu</button>
        </form>
      ) : null}
    </Layout>
  );
}
