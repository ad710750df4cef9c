/**
 * SIPAS (chỉ số hài lòng về sự phục vụ hành chính): the default factors and criteria as data, and the index by one
 * stated formula. Pure: no database, no clock.
 *
 * The five factors follow QĐ 2640/QĐ-BNV (2017). The 22 criteria below are written FROM MEMORY [U] (see
 * shared/domain/vn-egov.md §3): they are only the defaults a new survey is seeded with, kept as editable rows of
 * `survey_questions`, never read from here once a survey exists.
 *
 * The formula (scores 1–5, "hài lòng" = 4, "rất hài lòng" = 5):
 *   - a criterion's index = answers scoring 4 or 5 ÷ all its answers × 100; a criterion nobody answered has none
 *     and is left out of its factor's mean;
 *   - a factor's index = the plain mean of its answered criteria's indices; a factor with no answered criterion has
 *     none, is left out of the overall mean, and is flagged (`missing`, `missingFactors`);
 *   - the overall index = the plain mean of the factors' indices that exist.
 * Computed unrounded; `round1` rounds a figure to one decimal for display only.
 */

export interface CriterionDef {
  code: string;
  text: string;
}

export interface FactorDef {
  code: string;
  title: string;
  criteria: readonly CriterionDef[];
}

/** The defaults: 5 factors, 22 criteria (criteria texts from memory [U]). */
export const SIPAS_FACTORS: readonly FactorDef[] = [
  {
    code: "F1",
    title: "Tiếp cận dịch vụ",
    criteria: [
      { code: "F1.1", text: "Nơi ngồi chờ có đủ chỗ ngồi" },
      { code: "F1.2", text: "Trang thiết bị phục vụ người dân, tổ chức đầy đủ" },
      { code: "F1.3", text: "Trang thiết bị phục vụ người dân, tổ chức hiện đại" },
      { code: "F1.4", text: "Trang thiết bị phục vụ người dân, tổ chức dễ sử dụng" },
    ],
  },
  {
    code: "F2",
    title: "Thủ tục hành chính",
    criteria: [
      { code: "F2.1", text: "Thủ tục hành chính được niêm yết công khai đầy đủ" },
      { code: "F2.2", text: "Thủ tục hành chính được niêm yết công khai chính xác" },
      { code: "F2.3", text: "Thành phần hồ sơ phải nộp đúng quy định" },
      { code: "F2.4", text: "Phí, lệ phí phải nộp đúng quy định" },
      { code: "F2.5", text: "Thời hạn giải quyết đúng quy định" },
    ],
  },
  {
    code: "F3",
    title: "Công chức trực tiếp giải quyết",
    criteria: [
      { code: "F3.1", text: "Công chức có lời nói, thái độ giao tiếp lịch sự" },
      { code: "F3.2", text: "Công chức chú ý lắng nghe ý kiến của người dân, tổ chức" },
      { code: "F3.3", text: "Công chức trả lời, giải thích đầy đủ các ý kiến" },
      { code: "F3.4", text: "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo" },
      { code: "F3.5", text: "Công chức hướng dẫn kê khai hồ sơ dễ hiểu" },
      { code: "F3.6", text: "Công chức tuân thủ đúng quy định trong giải quyết công việc" },
    ],
  },
  {
    code: "F4",
    title: "Kết quả dịch vụ",
    criteria: [
      { code: "F4.1", text: "Kết quả nhận được đúng quy định" },
      { code: "F4.2", text: "Kết quả có thông tin đầy đủ" },
      { code: "F4.3", text: "Kết quả có thông tin chính xác" },
    ],
  },
  {
    code: "F5",
    title: "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
    criteria: [
      { code: "F5.1", text: "Có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị" },
      { code: "F5.2", text: "Người dân, tổ chức dễ dàng thực hiện góp ý, phản ánh, kiến nghị" },
      { code: "F5.3", text: "Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý tích cực" },
      { code: "F5.4", text: "Kết quả xử lý góp ý, phản ánh, kiến nghị được thông báo kịp thời" },
    ],
  },
];

/** The five points of the scale, 1 to 5. */
export const SCALE_LABELS: Readonly<Record<number, string>> = {
  1: "Rất không hài lòng",
  2: "Không hài lòng",
  3: "Bình thường",
  4: "Hài lòng",
  5: "Rất hài lòng",
};

/** An answer counts as satisfied at this score or above. */
export const SATISFIED_FROM = 4;

/** A question of a survey (one criterion), as stored. */
export interface Question {
  id: number;
  factor: string;
  factorTitle: string;
  criterion: string;
  text: string;
  position: number;
}

/** One raw answer: a score 1–5 to one question, with its response's month (`YYYY-MM`) and field. */
export interface Answer {
  questionId: number;
  score: number;
  month: string;
  field: string | null;
}

/** The rows a new survey's questions start from. */
export function defaultQuestions(): Omit<Question, "id">[] {
  const out: Omit<Question, "id">[] = [];
  for (const f of SIPAS_FACTORS)
    for (const c of f.criteria)
      out.push({ factor: f.code, factorTitle: f.title, criterion: c.code, text: c.text, position: out.length + 1 });
  return out;
}

export interface CriterionResult {
  questionId: number;
  code: string;
  text: string;
  answers: number;
  satisfied: number;
  /** 0–100, unrounded; null when nobody answered. */
  index: number | null;
}

export interface FactorResult {
  code: string;
  title: string;
  criteria: CriterionResult[];
  /** 0–100, unrounded; null when none of its criteria was answered. */
  index: number | null;
  /** No answered criterion: left out of the overall index. */
  missing: boolean;
}

export interface IndexResult {
  overall: number | null;
  /** How many answers (scores) went in. */
  answers: number;
  factors: FactorResult[];
  /** Codes of the factors left out of the overall index. */
  missingFactors: string[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The index of a set of answers over a survey's questions (factors in the order of their first question). */
export function computeIndex(questions: readonly Question[], answers: readonly Answer[]): IndexResult {
  const counts = new Map<number, { n: number; ok: number }>();
  let total = 0;
  for (const a of answers) {
    if (!Number.isInteger(a.score) || a.score < 1 || a.score > 5) continue;
    const c = counts.get(a.questionId) ?? { n: 0, ok: 0 };
    c.n++;
    if (a.score >= SATISFIED_FROM) c.ok++;
    counts.set(a.questionId, c);
    total++;
  }
  const factors = new Map<string, FactorResult>();
  for (const q of [...questions].sort((x, y) => x.position - y.position)) {
    let f = factors.get(q.factor);
    if (!f) {
      f = { code: q.factor, title: q.factorTitle, criteria: [], index: null, missing: true };
      factors.set(q.factor, f);
    }
    const c = counts.get(q.id);
    f.criteria.push({
      questionId: q.id,
      code: q.criterion,
      text: q.text,
      answers: c?.n ?? 0,
      satisfied: c?.ok ?? 0,
      index: c?.n ? (c.ok / c.n) * 100 : null,
    });
  }
  const list = [...factors.values()];
  for (const f of list) {
    f.index = mean(f.criteria.flatMap((c) => (c.index === null ? [] : [c.index])));
    f.missing = f.index === null;
  }
  return {
    overall: mean(list.flatMap((f) => (f.index === null ? [] : [f.index]))),
    answers: total,
    factors: list,
    missingFactors: list.filter((f) => f.missing).map((f) => f.code),
  };
}

function indexBy<K extends string | null>(
  questions: readonly Question[],
  answers: readonly Answer[],
  key: (a: Answer) => K,
): { key: K; result: IndexResult }[] {
  const groups = new Map<K, Answer[]>();
  for (const a of answers) {
    const k = key(a);
    const g = groups.get(k);
    if (g) g.push(a);
    else groups.set(k, [a]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => String(a ?? "").localeCompare(String(b ?? "")))
    .map(([k, g]) => ({ key: k, result: computeIndex(questions, g) }));
}

/** The index per month (`YYYY-MM`, ascending), each month computed on its own answers. */
export const indexByMonth = (questions: readonly Question[], answers: readonly Answer[]) =>
  indexBy(questions, answers, (a) => a.month).map(({ key, result }) => ({ month: key, result }));

/** The index per field (null: no field), each field computed on its own answers. */
export const indexByField = (questions: readonly Question[], answers: readonly Answer[]) =>
  indexBy(questions, answers, (a) => a.field).map(({ key, result }) => ({ field: key, result }));

/** One decimal, for display and the API; null stays null. */
export const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/** A figure as Vietnamese text: "83,3" or "—". */
export const formatIndex = (x: number | null) =>
  x === null ? "—" : (round1(x) as number).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
