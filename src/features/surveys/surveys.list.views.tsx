/** The public list of a ward's surveys (`/khao-sat`): what a survey is, the open ones to answer, the closed ones' results. */
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import type { PublicSurvey } from "./surveys.service.ts";

const fieldLabel = (s: PublicSurvey) => s.field ?? "Tất cả dịch vụ hành chính công";

function SurveyItem({ ward, survey, open }: { ward: Ward; survey: PublicSurvey; open: boolean }) {
  const href = `${ward.base}/khao-sat/${survey.id}`;
  const heading = `ks-${survey.id}`;
  // The links' texts repeat from one survey to the next: each is described by its survey's title.
  return (
    <li>
      <h3 id={heading}>{survey.title}</h3>
      <p>
        {open ? <strong>Đang nhận ý kiến</strong> : <strong>Đã kết thúc</strong>} · Lĩnh vực: {fieldLabel(survey)}
        <br />
        <span class="muted small">
          Bắt đầu ngày {formatDate(survey.createdAt)} · Số phiếu đã nhận: {String(survey.responses)}
        </span>
      </p>
      <p>
        {open ? (
          <>
            <a href={href} aria-describedby={heading}>
              Tham gia đánh giá
            </a>{" "}
            ·{" "}
          </>
        ) : null}
        <a href={`${href}/ket-qua`} aria-describedby={heading}>
          Xem kết quả
        </a>
      </p>
    </li>
  );
}

/** Open surveys first, then closed ones; an empty state when the ward has run none. */
export function SurveyListPage(props: { ward: Ward; open: PublicSurvey[]; closed: PublicSurvey[] }) {
  const { ward, open, closed } = props;
  return (
    <Layout title="Khảo sát sự hài lòng" ward={ward}>
      <h1>Khảo sát sự hài lòng</h1>
      <p>
        Phường hỏi người dân, tổ chức về sự phục vụ khi làm thủ tục hành chính. Phiếu không ghi tên, không hỏi thông tin
        cá nhân; mỗi tiêu chí được chấm theo năm mức, từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng), và bạn chỉ cần trả
        lời những tiêu chí mình muốn.
      </p>
      <p>
        Chỉ số hài lòng (SIPAS) là tỷ lệ phần trăm câu trả lời “Hài lòng” hoặc “Rất hài lòng” trên tổng số câu trả lời
        của mỗi tiêu chí, rồi lấy trung bình theo từng yếu tố và chung cho cả cuộc khảo sát.
      </p>
      {open.length === 0 && closed.length === 0 ? (
        <p>Phường chưa tổ chức cuộc khảo sát nào. Mời bạn quay lại sau.</p>
      ) : (
        <>
          <section aria-labelledby="ks-dang-mo">
            <h2 id="ks-dang-mo">Đang nhận ý kiến</h2>
            {open.length === 0 ? (
              <p>Hiện không có cuộc khảo sát nào đang nhận ý kiến.</p>
            ) : (
              <ul class="items">
                {open.map((s) => (
                  <SurveyItem ward={ward} survey={s} open />
                ))}
              </ul>
            )}
          </section>
          {closed.length > 0 ? (
            <section aria-labelledby="ks-da-xong">
              <h2 id="ks-da-xong">Đã kết thúc</h2>
              <ul class="items">
                {closed.map((s) => (
                  <SurveyItem ward={ward} survey={s} open={false} />
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
      <h2>Ý kiến khác</h2>
      <p>
        Có phản ánh, kiến nghị về thủ tục hay cán bộ? <a href={`${ward.base}/gop-y`}>Gửi góp ý, kiến nghị</a>. Cần hỏi
        về một thủ tục? <a href={`${ward.base}/hoi-dap`}>Xem hỏi đáp</a>.
      </p>
    </Layout>
  );
}
