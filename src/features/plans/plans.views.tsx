/** Views of a plan shared by the public and staff pages. No personal data is shown here. */
import { formatDate } from "../../core/text/vi.ts";
import { CHANNEL_KINDS, PILLARS } from "./plan-draft.ts";
import type { LoadedPlan } from "./plans.service.ts";

const parse = (json: string): string[] => {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/** The issuing unit named as it was when the plan was issued, with today's successor where it has changed. */
export function IssuedBy({ p, currentName }: { p: LoadedPlan; currentName: string }) {
  const issuing = p.issuing;
  if (!issuing) return null;
  return (
    <span>
      {issuing.name}
      {issuing.valid_to ? ` (đến ${formatDate(issuing.valid_to)}; nay thuộc ${currentName})` : ""}
    </span>
  );
}

export function PlanFacts({ p, currentName }: { p: LoadedPlan; currentName: string }) {
  const { plan } = p;
  return (
    <dl class="facts">
      <dt>Số, ký hiệu</dt>
      <dd>{plan.number}</dd>
      <dt>Ngày ban hành</dt>
      <dd>
        {plan.place ? `${plan.place}, ` : ""}
        {formatDate(plan.issued_on)}
      </dd>
      <dt>Đơn vị ban hành</dt>
      <dd>
        <IssuedBy p={p} currentName={currentName} />
      </dd>
      {plan.period_from ? (
        <>
          <dt>Thời gian thực hiện</dt>
          <dd>
            {formatDate(plan.period_from)} – {formatDate(plan.period_to)}
          </dd>
        </>
      ) : null}
      {plan.signer_name ? (
        <>
          <dt>Người ký</dt>
          <dd>
            {[plan.signer_authority, plan.signer_on_behalf_of, plan.signer_position, plan.signer_name]
              .filter((part) => part)
              .join(" ")}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The body of the plan as understood: purposes, requirements, content, channels, references. */
export function PlanContent({ p, base = "" }: { p: LoadedPlan; base?: string }) {
  const { plan } = p;
  const basis = parse(plan.basis_json);
  return (
    <>
      {basis.length ? (
        <section>
          <h2>Căn cứ</h2>
          <ul class="items">
            {basis.map((b) => (
              <li>{b}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section>
        <h2>I. Mục đích, yêu cầu</h2>
        <h3>Mục đích</h3>
        <ol class="items">
          {parse(plan.purposes_json).map((t) => (
            <li>{t}</li>
          ))}
        </ol>
        <h3>Yêu cầu</h3>
        <ol class="items">
          {parse(plan.requirements_json).map((t) => (
            <li>{t}</li>
          ))}
        </ol>
      </section>
      <section>
        <h2>II. Nội dung tuyên truyền</h2>
        {plan.documents_text ? (
          <>
            <h3>Các văn bản cần tuyên truyền</h3>
            <p>{plan.documents_text}</p>
          </>
        ) : null}
        {p.areas.map((a) => (
          <>
            <h3>
              {a.code}. {a.title}{" "}
              <span class="tag">{a.pillar ? PILLARS[a.pillar as keyof typeof PILLARS] : "Chưa xếp lĩnh vực"}</span>
            </h3>
            <ul class="items">
              {parse(a.items_json).map((t) => (
                <li>{t}</li>
              ))}
            </ul>
          </>
        ))}
      </section>
      <section>
        <h2>III. Hình thức tuyên truyền</h2>
        <ol class="items">
          {p.channels.map((ch) => (
            <li>
              {ch.title} <span class="tag">{CHANNEL_KINDS[ch.kind as keyof typeof CHANNEL_KINDS] ?? ch.kind}</span>
            </li>
          ))}
        </ol>
      </section>
      {p.references.length ? (
        <section>
          <h2>Văn bản được dẫn chiếu</h2>
          <section class="table-wrap" aria-label="Văn bản được dẫn chiếu" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Loại</th>
                  <th scope="col">Số, ký hiệu</th>
                  <th scope="col">Ngày</th>
                  <th scope="col">Cơ quan ban hành</th>
                </tr>
              </thead>
              <tbody>
                {p.references.map((r) => (
                  <tr>
                    <td>{r.kind}</td>
                    <td>
                      {r.document_id ? (
                        <a href={`${base}/van-ban/${r.document_id}`}>
                          {r.number ?? `${r.title ?? ""}${r.year ? ` năm ${r.year}` : ""}`}
                        </a>
                      ) : (
                        (r.number ?? `${r.title ?? ""}${r.year ? ` năm ${r.year}` : ""}`)
                      )}
                    </td>
                    <td>{r.issued_on ? formatDate(r.issued_on) : ""}</td>
                    <td>{r.issuer ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </section>
      ) : null}
    </>
  );
}

/** Units of each task: the lead first, supporting units after. */
export function unitsOfTask(p: LoadedPlan, taskId: number) {
  return p.taskUnits
    .filter((u) => u.task_id === taskId)
    .sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1))
    .map((u) => ({
      id: u.unit_id,
      name: u.unit_name,
      role: u.role as "lead" | "support",
      kind: u.unit_kind as "own" | "partner",
    }));
}

export const parseJsonList = parse;
