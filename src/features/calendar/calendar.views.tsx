/** The staff page of the working-day calendar: one year's holidays, the form adding one, the stages' working days. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { FORWARDING_LIMIT_WORKING_DAYS } from "../feedback/working-days.ts";
import { type HolidayKind, KIND_LABELS } from "./calendar.schemas.ts";
import type { calendarOverview } from "./calendar.service.ts";

const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
const weekday = (iso: string) => WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()] ?? "";

const STAGES: { stage: "classify" | "answer" | "forward"; label: string; hint: string }[] = [
  { stage: "classify", label: "Phân loại (sau khi vào sổ)", hint: "Mức do phường đặt." },
  {
    stage: "answer",
    label: "Xử lý, trả lời phản ánh thuộc thẩm quyền",
    hint: "Tính từ ngày phân loại; mức do phường đặt.",
  },
  {
    stage: "forward",
    label: "Chuyển cơ quan có thẩm quyền",
    hint: `Tính từ ngày tiếp nhận; Nghị định 20/2008/NĐ-CP Điều 9: không quá ${FORWARDING_LIMIT_WORKING_DAYS} ngày làm việc (có thể đặt ít hơn).`,
  },
];

export function CalendarPage(props: {
  ward: Ward;
  session: ActiveSession;
  data: Awaited<ReturnType<typeof calendarOverview>>;
  state: FormState<"them" | "thoi-han" | "xoa">;
  saved?: string;
  /** A deployment operator: edits the national holidays and may set the national stage defaults. */
  national: boolean;
}) {
  const { ward, session, data, state } = props;
  const addState = state.form === "them" ? state : { values: {}, errors: {} };
  const stageState = state.form === "thoi-han" ? state : { values: {}, errors: {} };
  const days = Object.fromEntries(data.stages.map((s) => [s.stage, String(s.working_days)]));
  const national = Object.fromEntries(data.stages.map((s) => [s.stage, String(s.national)]));
  const ownStages = data.stages.some((s) => s.from === "ward");
  const chosenKind = addState.values.kind ?? "holiday";
  return (
    <Layout title="Ngày nghỉ và thời hạn xử lý" ward={ward} session={session} staff>
      <h1>Ngày nghỉ và thời hạn xử lý</h1>
      <p>
        Thời hạn xử lý phản ánh, kiến nghị được tính theo ngày làm việc: không tính thứ Bảy, Chủ nhật và các ngày nghỉ
        dưới đây; ngày làm bù được tính là ngày làm việc. Thay đổi áp dụng cho các thời hạn tính sau khi lưu; thời hạn
        đã báo cho người gửi không đổi.
      </p>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <nav aria-label="Chọn năm">
        <ul class="inline">
          {data.years.map((y) => (
            <li>
              <a href={`/quan-tri/ngay-nghi?nam=${y}`} aria-current={y === data.year ? "page" : undefined}>
                {String(y)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2 id="nn-bang" tabindex={-1}>
        Lịch năm {String(data.year)}
      </h2>
      {data.entries.length === 0 ? (
        <p>Chưa có ngày nghỉ nào của năm {String(data.year)}.</p>
      ) : (
        <section class="table-wrap" aria-label={`Ngày nghỉ năm ${data.year}`} tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Ngày</th>
                <th scope="col">Thứ</th>
                <th scope="col">Loại</th>
                <th scope="col">Tên</th>
                {props.national ? <th scope="col">Xóa</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.entries.map((h) => (
                <tr>
                  <th scope="row">{formatDate(h.date)}</th>
                  <td>{weekday(h.date)}</td>
                  <td>{KIND_LABELS[h.kind as HolidayKind] ?? h.kind}</td>
                  <td>{h.name}</td>
                  {props.national ? (
                    <td>
                      <form method="post" action={`/quan-tri/ngay-nghi/${h.id}/xoa`} id={`nn-xoa-${h.id}`}>
                        <CsrfField token={session.csrfToken} />
                        <button
                          type="submit"
                          class="secondary"
                          aria-label={`Xóa ngày ${formatDate(h.date)}: ${h.name}`}
                        >
                          Xóa
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {props.national ? (
        <>
          <h2>Thêm ngày nghỉ hoặc ngày làm bù</h2>
          <form method="post" action={`/quan-tri/ngay-nghi?nam=${data.year}`} id="nn-them" novalidate>
            <CsrfField token={session.csrfToken} />
            <FieldError errors={addState.errors} id="nn-them" />
            <TextField
              id="nn-date"
              name="date"
              label="Ngày"
              hint="Dạng ngày/tháng/năm, ví dụ 02/09/2026."
              state={addState}
            />
            <TextField id="nn-name" name="name" label="Tên" hint="Ví dụ: Quốc khánh (2/9)." state={addState} />
            <fieldset id="nn-kind" aria-describedby={describedBy(addState.errors, "nn-kind")}>
              <legend>Loại ngày</legend>
              <FieldError errors={addState.errors} id="nn-kind" />
              {(Object.keys(KIND_LABELS) as HolidayKind[]).map((k) => (
                <div class="radio">
                  <input type="radio" id={`nn-kind-${k}`} name="kind" value={k} checked={chosenKind === k} />
                  <label for={`nn-kind-${k}`}>{KIND_LABELS[k]}</label>
                </div>
              ))}
            </fieldset>
            <button type="submit">Thêm vào lịch</button>
          </form>
        </>
      ) : (
        <p class="muted">
          Ngày nghỉ lễ, tết là lịch chung cả nước: người vận hành hệ thống cập nhật theo thông báo hằng năm của Chính
          phủ.
        </p>
      )}
      <h2>Thời hạn các bước xử lý phản ánh, kiến nghị</h2>
      <p>
        {ownStages
          ? "Phường đang dùng thời hạn riêng; thời hạn chung ghi trong gợi ý của từng bước."
          : "Phường đang dùng thời hạn chung; lưu dưới đây để đặt thời hạn riêng của phường."}
      </p>
      <form method="post" action={`/quan-tri/ngay-nghi/thoi-han?nam=${data.year}`} id="tg" novalidate>
        <CsrfField token={session.csrfToken} />
        {props.national ? (
          <fieldset>
            <legend>Áp dụng cho</legend>
            <div class="radio">
              <input type="radio" id="tg-pham-vi-phuong" name="pham-vi" value="phuong" checked />
              <label for="tg-pham-vi-phuong">Riêng {ward.unit.name}</label>
            </div>
            <div class="radio">
              <input type="radio" id="tg-pham-vi-ca-nuoc" name="pham-vi" value="ca-nuoc" />
              <label for="tg-pham-vi-ca-nuoc">Thời hạn chung (mọi phường, xã chưa đặt thời hạn riêng)</label>
            </div>
          </fieldset>
        ) : null}
        {STAGES.map((s) => (
          <TextField
            id={`tg-${s.stage}`}
            name={s.stage}
            label={`${s.label} (ngày làm việc)`}
            hint={`${s.hint} Thời hạn chung: ${national[s.stage] ?? "?"} ngày.`}
            state={stageState}
            value={days[s.stage] ?? ""}
            inputmode="numeric"
          />
        ))}
        <button type="submit">Lưu thời hạn</button>
      </form>
      {ownStages ? (
        <form method="post" action={`/quan-tri/ngay-nghi/thoi-han/mac-dinh?nam=${data.year}`}>
          <CsrfField token={session.csrfToken} />
          <button type="submit" class="secondary">
            Dùng lại thời hạn chung
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
