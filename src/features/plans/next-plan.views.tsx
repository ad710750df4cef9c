/**
 * Pages of next year's plan: the ward's drafts, and one draft with its workflow (submit, approve, issue), its
 * downloads, and — while it is a draft — the edit form: one field per line of the document, lists one item per
 * line, rows for content areas, channels, unit groups and tasks with a "Xóa" box, and an empty row to add one.
 * Works without JavaScript.
 */
import { can, type Role } from "../../core/auth/roles.ts";
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, SavedNotice, TextAreaField, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { RegisterIssueForm } from "../../core/web/register-issue-form.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import { contentOf, DRAFT_STATUSES, type DraftListRow, type DraftRow, planNumberText } from "./next-plan.service.ts";
import type { PlanContent } from "./plan-content.ts";
import { CHANNEL_KINDS, PILLARS } from "./plan-draft.ts";

type Unit = { id: number; name: string };

const SAVED: Record<string, string> = {
  tao: "Đã tạo dự thảo kế hoạch năm sau từ kế hoạch hiện hành. Kiểm tra và sửa từng mục trước khi trình.",
  sua: "Đã lưu dự thảo.",
  trinh: "Đã trình lãnh đạo.",
  duyet: "Đã duyệt kế hoạch.",
  "ban-hanh": "Đã ban hành kế hoạch; kế hoạch đã có hiệu lực trong thời gian thực hiện.",
};

export function NextPlansPage(props: { ward: Ward; session: ActiveSession; drafts: DraftListRow[] }) {
  return (
    <Layout title="Kế hoạch năm sau" ward={props.ward} session={props.session} staff>
      <h1>Dự thảo kế hoạch năm sau</h1>
      <p>Mở một kế hoạch đã có và chọn “Lập kế hoạch năm sau” để tạo dự thảo từ kế hoạch đó.</p>
      {props.drafts.length === 0 ? (
        <p>Chưa có dự thảo nào.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Năm</th>
              <th scope="col">Tên kế hoạch</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {props.drafts.map((d) => (
              <tr>
                <td>{d.year}</td>
                <td>
                  <a href={`/quan-tri/ke-hoach/du-thao/${d.id}`}>{d.title}</a>
                </td>
                <td>
                  {DRAFT_STATUSES[d.status] ?? d.status}
                  {d.number ? ` · Số ${planNumberText(d.number, d.symbol)}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

const lines = (xs: string[]) => xs.join("\n");

function Select(props: { id: string; label: string; options: [string, string][]; value: string; errors: FieldErrors }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <FieldError errors={props.errors} id={props.id} />
      <select id={props.id} name={props.id} aria-describedby={describedBy(props.errors, props.id)}>
        {props.options.map(([v, label]) => (
          <option value={v} selected={v === props.value}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}

function RemoveBox({ id, label }: { id: string; label: string }) {
  return (
    <p>
      <input type="checkbox" id={`${id}-remove`} name={`${id}-remove`} value="yes" />{" "}
      <label for={`${id}-remove`}>{label}</label>
    </p>
  );
}

/** The edit form, filled from the content (or, after an error, from what was typed). */
function EditForm(props: {
  id: number;
  c: PlanContent;
  units: Unit[];
  values: Record<string, string> | null;
  errors: FieldErrors;
  csrf: string;
}) {
  const { c, errors } = props;
  const typed = props.values;
  // After an error the form shows what was typed; else the stored content.
  const state = { values: typed ?? {}, errors };
  const val = (k: string, stored: string) => (typed ? (typed[k] ?? "") : stored);
  const unitOptions: [string, string][] = [
    ["", "— Chọn đơn vị chủ trì —"],
    ...props.units.map((u): [string, string] => [String(u.id), u.name]),
  ];
  const pillarOptions: [string, string][] = [["", "Chưa xếp lĩnh vực"], ...Object.entries(PILLARS)];
  const areas = [...c.contentAreas, { title: "", pillar: null, items: [] }];
  const channels = [...c.channels, { title: "", kind: "other" as const }];
  const groups = [...c.groups, { heading: "", leadUnitId: null, tasks: [] }];
  return (
    <form method="post" action={`/quan-tri/ke-hoach/du-thao/${props.id}`} id="sua" novalidate>
      <CsrfField token={props.csrf} />
      <h2>Sửa dự thảo</h2>
      <TextField id="title" name="title" label="Tên (trích yếu) kế hoạch" state={state} value={c.title} />
      <TextField id="place" name="place" label="Địa danh" state={state} value={c.place} />
      <TextField
        id="periodFrom"
        name="periodFrom"
        label="Thực hiện từ ngày"
        type="date"
        state={state}
        value={c.period?.from ?? ""}
      />
      <TextField id="periodTo" name="periodTo" label="Đến ngày" type="date" state={state} value={c.period?.to ?? ""} />
      <TextAreaField
        id="basis"
        name="basis"
        label="Căn cứ (mỗi dòng một văn bản)"
        hint="Kiểm tra số, ngày của các văn bản được dẫn cho năm mới."
        state={state}
        value={lines(c.basis)}
      />
      <TextAreaField
        id="purposes"
        name="purposes"
        label="I.1. Mục đích (mỗi dòng một mục)"
        state={state}
        value={lines(c.purposes)}
      />
      <TextAreaField
        id="requirements"
        name="requirements"
        label="I.2. Yêu cầu (mỗi dòng một mục)"
        state={state}
        value={lines(c.requirements)}
      />
      <TextAreaField
        id="documents"
        name="documents"
        label="II.1. Các văn bản cần tuyên truyền"
        state={state}
        value={c.documentsToCommunicate}
      />

      <h3>II.2. Nội dung tuyên truyền</h3>
      {areas.map((a, i) => (
        <fieldset>
          <legend>{a.title ? `Nội dung ${i + 1}` : "Thêm nội dung mới"}</legend>
          <TextField
            id={`area-${i}-title`}
            name={`area-${i}-title`}
            label="Tên nội dung"
            state={state}
            value={a.title}
          />
          <Select
            id={`area-${i}-pillar`}
            label="Lĩnh vực cải cách hành chính"
            options={pillarOptions}
            value={val(`area-${i}-pillar`, a.pillar ?? "")}
            errors={errors}
          />
          <TextAreaField
            id={`area-${i}-items`}
            name={`area-${i}-items`}
            label="Các mục (mỗi dòng một mục)"
            state={state}
            value={lines(a.items)}
            rows={4}
          />
          {a.title ? <RemoveBox id={`area-${i}`} label="Xóa nội dung này" /> : null}
        </fieldset>
      ))}

      <h3>II.3. Hình thức tuyên truyền</h3>
      {channels.map((ch, i) => (
        <fieldset>
          <legend>{ch.title ? `Hình thức ${i + 1}` : "Thêm hình thức mới"}</legend>
          <TextField
            id={`channel-${i}-title`}
            name={`channel-${i}-title`}
            label="Hình thức"
            state={state}
            value={ch.title}
          />
          <Select
            id={`channel-${i}-kind`}
            label="Loại hình thức"
            options={Object.entries(CHANNEL_KINDS)}
            value={val(`channel-${i}-kind`, ch.kind)}
            errors={errors}
          />
          {ch.title ? <RemoveBox id={`channel-${i}`} label="Xóa hình thức này" /> : null}
        </fieldset>
      ))}

      <h3>III. Tổ chức thực hiện: nhiệm vụ của các đơn vị</h3>
      <p class="hint">
        Thời gian: “thường xuyên”, “hằng tháng”, “hằng quý”, “quý II/2025”, “trong tháng 6/2025” hoặc một ngày
        (30/6/2025); để trống khi nhiệm vụ thực hiện trong cả thời gian của kế hoạch.
      </p>
      {groups.map((g, i) => (
        <fieldset>
          <legend>{g.heading ? `${i + 1}. ${g.heading}` : "Thêm nhóm nhiệm vụ (đơn vị) mới"}</legend>
          <TextField
            id={`group-${i}-heading`}
            name={`group-${i}-heading`}
            label="Tên nhóm (như ghi trong kế hoạch)"
            state={state}
            value={g.heading}
          />
          <Select
            id={`group-${i}-unit`}
            label="Đơn vị chủ trì"
            options={unitOptions}
            value={val(`group-${i}-unit`, g.leadUnitId === null ? "" : String(g.leadUnitId))}
            errors={errors}
          />
          {[...g.tasks, { text: "", timing: null, supportUnits: [] }].map((t, j) => {
            const key = `task-${i}-${j}`;
            return (
              <div class="card">
                <TextAreaField
                  id={`${key}-text`}
                  name={`${key}-text`}
                  label={t.text ? `Nhiệm vụ ${j + 1}` : "Thêm nhiệm vụ"}
                  state={state}
                  value={t.text}
                  rows={3}
                />
                <TextField
                  id={`${key}-timing`}
                  name={`${key}-timing`}
                  label="Thời gian"
                  state={state}
                  value={t.timing ?? ""}
                />
                <details>
                  <summary>Đơn vị phối hợp ({t.supportUnits.length})</summary>
                  {props.units.map((u) => {
                    const box = `${key}-support-${u.id}`;
                    const checked = typed ? typed[box] === "yes" : t.supportUnits.some((s) => s.id === u.id);
                    return (
                      <p>
                        <input type="checkbox" id={box} name={box} value="yes" checked={checked} />{" "}
                        <label for={box}>{u.name}</label>
                      </p>
                    );
                  })}
                </details>
                {t.text ? <RemoveBox id={key} label="Xóa nhiệm vụ này" /> : null}
              </div>
            );
          })}
          {g.heading ? <RemoveBox id={`group-${i}`} label="Xóa cả nhóm nhiệm vụ này" /> : null}
        </fieldset>
      ))}

      <TextAreaField
        id="recipients"
        name="recipients"
        label="Nơi nhận (mỗi dòng một nơi)"
        state={state}
        value={lines(c.recipients)}
      />
      <TextField
        id="signerAuthority"
        name="signerAuthority"
        label="Thẩm quyền ký (ví dụ TM. ỦY BAN NHÂN DÂN; để trống nếu không có)"
        state={state}
        value={c.signer.authority ?? ""}
      />
      <TextField
        id="signerOnBehalfOf"
        name="signerOnBehalfOf"
        label="Ký thay (ví dụ KT. CHỦ TỊCH; để trống nếu không có)"
        state={state}
        value={c.signer.onBehalfOf ?? ""}
      />
      <TextField
        id="signerPosition"
        name="signerPosition"
        label="Chức vụ người ký"
        state={state}
        value={c.signer.position}
      />
      <button type="submit">Lưu dự thảo</button>
    </form>
  );
}

/** The content read-only (after the draft is submitted). */
function ContentView({ c, units }: { c: PlanContent; units: Unit[] }) {
  const unitName = (id: number | null) => units.find((u) => u.id === id)?.name ?? "chưa chọn";
  return (
    <>
      <h2>Nhiệm vụ của các đơn vị</h2>
      {c.groups.map((g, i) => (
        <section>
          <h3>
            {i + 1}. {g.heading} <span class="tag">Chủ trì: {unitName(g.leadUnitId)}</span>
          </h3>
          <ul class="items">
            {g.tasks.map((t) => (
              <li>
                {t.text}
                {t.timing ? <span class="muted"> — thời gian: {t.timing}</span> : null}
                {t.supportUnits.length ? (
                  <span class="muted"> — phối hợp: {t.supportUnits.map((u) => u.name).join(", ")}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

export function NextPlanPage(props: {
  ward: Ward;
  session: ActiveSession;
  draft: DraftRow;
  units: Unit[];
  values: Record<string, string> | null;
  errors: FieldErrors;
  saved?: string;
  today: string;
}) {
  const { draft: d, errors } = props;
  const c = contentOf(d);
  const role = props.session.user.role as Role;
  const base = `/quan-tri/ke-hoach/du-thao/${d.id}`;
  const csrf = <CsrfField token={props.session.csrfToken} />;
  const state = { values: props.values ?? {}, errors };
  const tasks = c.groups.reduce((n, g) => n + g.tasks.length, 0);
  return (
    <Layout title={`Dự thảo: ${d.title}`} ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved ? SAVED[props.saved] : undefined} />
      <ErrorSummary errors={errors} />
      <h1>KẾ HOẠCH {d.title}</h1>
      <p>
        Trạng thái: <strong>{DRAFT_STATUSES[d.status] ?? d.status}</strong>
        {d.number ? ` · Số ${planNumberText(d.number, d.symbol)}, ngày ${formatDate(d.issued_on ?? "")}` : ""}
        {" · "}
        {c.period ? `Thực hiện từ ${formatDate(c.period.from)} đến ${formatDate(c.period.to)}` : ""} · {tasks} nhiệm vụ
      </p>
      <p>
        {d.source_plan_id ? <a href={`/quan-tri/ke-hoach/${d.source_plan_id}`}>Kế hoạch gốc</a> : null}
        {d.plan_id ? (
          <>
            {" · "}
            <a href={`/quan-tri/ke-hoach/${d.plan_id}`}>Kế hoạch đã ban hành</a>
          </>
        ) : null}
        {" · "}
        <a href={`${base}/tai.docx`}>Tải DOCX</a> · <a href={`${base}/tai.pdf`}>Tải PDF</a>
      </p>
      {d.status === "draft" && can(role, "plan.import") ? (
        <form method="post" action={`${base}/trinh`}>
          {csrf}
          <button type="submit">Trình lãnh đạo</button>
        </form>
      ) : null}
      {d.status === "submitted" && can(role, "plan.approve") ? (
        <form method="post" action={`${base}/duyet`}>
          {csrf}
          <button type="submit">Duyệt kế hoạch</button>
        </form>
      ) : null}
      {d.status === "approved" && can(role, "plan.import") ? (
        <RegisterIssueForm action={`${base}/ban-hanh`} csrf={csrf} state={state} today={props.today} />
      ) : null}
      {d.status === "draft" && can(role, "plan.import") ? (
        <EditForm
          id={d.id}
          c={c}
          units={props.units}
          values={props.values}
          errors={errors}
          csrf={props.session.csrfToken}
        />
      ) : (
        <ContentView c={c} units={props.units} />
      )}
    </Layout>
  );
}

/** On a plan's page: its downloads, and the start of next year's plan for those who may draft it. */
export function PlanDocumentActions(props: { planId: number; session: ActiveSession | null }) {
  const role = props.session?.user.role as Role | undefined;
  const base = `/quan-tri/ke-hoach/${props.planId}`;
  return (
    <section>
      <p>
        Văn bản kế hoạch: <a href={`${base}/tai.docx`}>Tải DOCX</a> · <a href={`${base}/tai.pdf`}>Tải PDF</a> ·{" "}
        <a href="/quan-tri/ke-hoach/du-thao">Dự thảo kế hoạch năm sau</a>
      </p>
      {role && can(role, "plan.import") ? (
        <form method="post" action={`${base}/nam-sau`}>
          <CsrfField token={props.session?.csrfToken ?? ""} />
          <button type="submit">Lập kế hoạch năm sau</button>
        </form>
      ) : null}
    </section>
  );
}
