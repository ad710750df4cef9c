/**
 * The two forms of a task page: a progress update (status, note, evidence) and an activity for the ledger. Each
 * comes back with the errors beside its fields and what was typed; files must be chosen again.
 */
import { ACCEPT_ATTRIBUTE, ACCEPTED_TYPES_TEXT } from "../../core/files.ts";
import { CsrfField, describedBy, FieldError, type FormState, TextField } from "../../core/web/forms.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import { CHANNEL_KINDS, PILLARS, type PillarCode } from "./plan-draft.ts";
import { STATUS_LABELS, STORED_STATUSES } from "./progress.ts";
import { MAX_FILES, type TaskDetail } from "./tracking.service.ts";

/** The progress update form. */
export function UpdateForm({ d, csrf, form }: { d: TaskDetail; csrf: string; form: FormState }) {
  const { values, errors } = form;
  const status = values.status ?? d.task.storedStatus;
  return (
    <form
      method="post"
      action={`/quan-tri/nhiem-vu/${d.task.id}/cap-nhat`}
      enctype="multipart/form-data"
      id="cap-nhat"
      tabindex={-1}
    >
      <h2>Cập nhật tiến độ</h2>
      <CsrfField token={csrf} />
      <label for="u-status">Tình trạng</label>
      <FieldError errors={errors} id="u-status" />
      <select id="u-status" name="status" aria-describedby={describedBy(errors, "u-status")}>
        {STORED_STATUSES.map((s) => (
          <option value={s} selected={s === status}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <label for="u-note">
        Nội dung cập nhật{" "}
        <span class="hint" id="u-note-goi-y">
          Đã làm gì, kết quả, vướng mắc (nếu có).
        </span>
      </label>
      <FieldError errors={errors} id="u-note" />
      <textarea id="u-note" name="note" rows={4} aria-describedby={describedBy(errors, "u-note", "u-note-goi-y")}>
        {values.note ?? ""}
      </textarea>
      <FileInput prefix="u" errors={errors} />
      <div>
        <button type="submit" class="btn">
          Lưu cập nhật
        </button>
      </div>
    </form>
  );
}

function FileInput({ prefix, errors }: { prefix: "u" | "a"; errors: FieldErrors }) {
  const id = `${prefix}-files`;
  return (
    <>
      <label for={id}>
        Minh chứng (không bắt buộc){" "}
        <span class="hint" id={`${id}-goi-y`}>
          Chọn lại tệp nếu trang báo lỗi. Nhận {ACCEPTED_TYPES_TEXT}; tối đa {MAX_FILES} tệp mỗi lần.
        </span>
      </label>
      <FieldError errors={errors} id={id} />
      <input
        type="file"
        id={id}
        name="files"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        aria-describedby={describedBy(errors, id, `${id}-goi-y`)}
      />
    </>
  );
}

/** The activity form: one row of the ledger, carried out for this task. */
export function ActivityForm({
  d,
  csrf,
  form,
  today,
}: {
  d: TaskDetail;
  csrf: string;
  form: FormState;
  today: string;
}) {
  const { values, errors } = form;
  const areas = d.contentAreas.filter((a) => a.pillar);
  const pillar = values.pillar ?? "";
  let pillarMarked = false;
  const mark = (v: string) => {
    if (pillarMarked || v !== pillar) return false;
    pillarMarked = true;
    return true;
  };
  const unitId = values.orgUnitId ?? String(d.unitChoices[0]?.id ?? "");
  return (
    <form
      method="post"
      action={`/quan-tri/nhiem-vu/${d.task.id}/hoat-dong`}
      enctype="multipart/form-data"
      id="hoat-dong"
      tabindex={-1}
    >
      <h2>Ghi nhận hoạt động tuyên truyền</h2>
      <p class="hint">
        Mỗi buổi hội nghị, bản tin phát thanh, bài đăng, băng rôn… là một hoạt động; báo cáo được tổng hợp từ các hoạt
        động này.
      </p>
      <CsrfField token={csrf} />
      {d.unitChoices.length > 1 ? (
        <>
          <label for="a-orgUnitId">Đơn vị thực hiện</label>
          <FieldError errors={errors} id="a-orgUnitId" />
          <select id="a-orgUnitId" name="orgUnitId" aria-describedby={describedBy(errors, "a-orgUnitId")}>
            {d.unitChoices.map((u) => (
              <option value={String(u.id)} selected={String(u.id) === unitId}>
                {u.name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <p id="a-orgUnitId">
          Đơn vị thực hiện: <strong>{d.unitChoices[0]?.name ?? ""}</strong>
          <input type="hidden" name="orgUnitId" value={String(d.unitChoices[0]?.id ?? "")} />
          <FieldError errors={errors} id="a-orgUnitId" />
        </p>
      )}
      <label for="a-channelKind">Hình thức tuyên truyền</label>
      <FieldError errors={errors} id="a-channelKind" />
      <select id="a-channelKind" name="channelKind" aria-describedby={describedBy(errors, "a-channelKind")}>
        <option value="">— Chọn hình thức —</option>
        {Object.entries(CHANNEL_KINDS).map(([code, label]) => (
          <option value={code} selected={values.channelKind === code}>
            {label}
          </option>
        ))}
      </select>
      <label for="a-pillar">
        Nội dung tuyên truyền{" "}
        <span class="hint">Theo mục II của kế hoạch; mỗi nội dung thuộc một lĩnh vực cải cách hành chính.</span>
      </label>
      <FieldError errors={errors} id="a-pillar" />
      <select id="a-pillar" name="pillar" aria-describedby={describedBy(errors, "a-pillar")}>
        <option value="" selected={pillar === ""}>
          — Không thuộc nội dung cụ thể —
        </option>
        {areas.length
          ? areas.map((a) => (
              <option value={a.pillar ?? ""} selected={mark(a.pillar ?? "")}>
                {`${a.code}. ${a.title} (${PILLARS[a.pillar as PillarCode] ?? a.pillar})`}
              </option>
            ))
          : Object.entries(PILLARS).map(([code, label]) => (
              <option value={code} selected={mark(code)}>
                {label}
              </option>
            ))}
      </select>
      <TextField
        id="a-title"
        name="title"
        label="Tên hoạt động"
        hint="Ví dụ: Hội nghị tuyên truyền CCHC tại tổ dân phố 3."
        state={form}
      />
      <TextField
        id="a-occurredOn"
        name="occurredOn"
        label="Ngày thực hiện"
        hint="Ngày/tháng/năm, không sau hôm nay."
        type="date"
        value={today}
        state={form}
      />
      <TextField id="a-place" name="place" label="Địa điểm (không bắt buộc)" state={form} />
      <TextField
        id="a-audience"
        name="audience"
        label="Số lượt người được tiếp cận (không bắt buộc)"
        hint="Số nguyên, ví dụ 120."
        inputmode="numeric"
        state={form}
      />
      <label for="a-participants">Thành phần tham dự (không bắt buộc)</label>
      <FieldError errors={errors} id="a-participants" />
      <textarea
        id="a-participants"
        name="participants"
        rows={2}
        aria-describedby={describedBy(errors, "a-participants")}
      >
        {values.participants ?? ""}
      </textarea>
      <TextField
        id="a-cost"
        name="cost"
        label="Kinh phí (đồng, không bắt buộc)"
        hint="Số tiền, ví dụ 1.500.000."
        inputmode="numeric"
        state={form}
      />
      <FileInput prefix="a" errors={errors} />
      <div>
        <button type="submit" class="btn">
          Ghi nhận hoạt động
        </button>
      </div>
    </form>
  );
}
