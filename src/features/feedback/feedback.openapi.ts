/**
 * Feedback's part of the OpenAPI document. Enums and error examples come from the feature's own schemas and
 * messages, so the document cannot drift from what the API accepts and answers.
 */

import { validate } from "../../core/web/validation.ts";
import {
  badQuery,
  dateTime,
  errorResponse,
  fieldErrorsResponse,
  int,
  jsonResponse,
  nullableDate,
  nullableStr,
  type OpenApiPart,
  pageParam,
  qParam,
  rateLimited,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";
import {
  CONTENT_MAX,
  CONTENT_MIN,
  CONTENT_TYPES,
  feedbackInput,
  lookupInput,
  NOT_FOUND_MESSAGE,
  publishedApiQuery,
  STATUS_LABELS,
  SUBJECTS,
} from "./feedback.schemas.ts";

const describe = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([code, label]) => `${code}: ${label}`)
    .join("; ");

const subject = { enum: Object.keys(SUBJECTS), description: describe(SUBJECTS) };
const contentType = { enum: Object.keys(CONTENT_TYPES), description: `Điều 5 NĐ 20/2008 — ${describe(CONTENT_TYPES)}` };
const status = { enum: Object.keys(STATUS_LABELS), description: describe(STATUS_LABELS) };

/** The field errors the API really answers for an empty submission without consent (computed, not typed). */
function errorsOf(schema: Parameters<typeof validate>[0], input: unknown): Record<string, string> {
  const r = validate(schema, input);
  return r.ok ? {} : r.errors;
}

/** The message the API answers for a query the schema refuses (the messages joined, as the handler does). */
function firstMessage(schema: Parameters<typeof validate>[0], input: unknown): string {
  const r = schema.safeParse(input);
  return r.success ? "" : r.error.issues.map((i) => i.message).join(" ");
}

const feedbackBody = {
  type: "object",
  required: ["content", "name", "address", "phone", "consent"],
  properties: {
    content: { type: "string", minLength: CONTENT_MIN, maxLength: CONTENT_MAX, description: "Nội dung phản ánh" },
    name: { type: "string", maxLength: 200, description: "Họ và tên (Điều 7)" },
    address: { type: "string", maxLength: 500, description: "Địa chỉ liên hệ (Điều 7)" },
    phone: { type: "string", description: "0 và 9 chữ số, hoặc +84 và 9 chữ số", examples: ["0912345678"] },
    consent: {
      description: "Đồng ý cho xử lý dữ liệu cá nhân (Luật 91/2025/QH15); biểu mẫu gửi on/true/1",
      oneOf: [{ const: true }, { enum: ["true", "on", "yes", "1"] }],
    },
    email: { type: "string", format: "email", maxLength: 200 },
    procedureCode: { type: "string", pattern: "^\\d{1,3}\\.\\d{6}$", description: "Mã thủ tục, ví dụ 1.000253" },
    subject: {
      ...subject,
      description: `Mặc định procedure khi có procedureCode, nếu không regulation. ${subject.description}`,
    },
    contentType: { ...contentType, description: `Mặc định other. ${contentType.description}` },
    idempotencyKey: {
      type: "string",
      minLength: 1,
      maxLength: 200,
      description: "Gửi lại cùng khóa thì nhận lại cùng mã (200), không tạo phản ánh mới",
    },
  },
} as const;

const codeResponse = { type: "object", properties: { code: str }, required: ["code"] } as const;
const codeExample = { code: "PA-2026-7KQ9XM" };

export const feedbackOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/feedback": {
      post: {
        summary:
          "Gửi phản ánh, kiến nghị (NĐ 20/2008): họ tên, địa chỉ, số điện thoại và đồng ý xử lý dữ liệu là bắt buộc",
        parameters: [
          wardParam,
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description: "Như idempotencyKey trong nội dung (nội dung được ưu tiên)",
            schema: { type: "string", minLength: 1, maxLength: 200 },
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: feedbackBody,
              example: {
                content: "Thủ tục đăng ký khai sinh phải chờ quá lâu ở bộ phận một cửa.",
                name: "Nguyễn Văn An",
                address: "Tổ dân phố 3",
                phone: "0912345678",
                consent: true,
                procedureCode: "1.001193",
                contentType: "obstacle",
              },
            },
            "application/x-www-form-urlencoded": { schema: feedbackBody },
            "multipart/form-data": { schema: feedbackBody },
          },
        },
        responses: {
          "201": jsonResponse("Đã tiếp nhận; mã dùng để tra cứu", codeResponse, codeExample),
          "200": jsonResponse(
            "Khóa idempotencyKey (hoặc Idempotency-Key) đã dùng ở xã, phường này: cùng mã, không tạo mới",
            codeResponse,
            codeExample,
          ),
          "400": fieldErrorsResponse(
            "Nội dung không hợp lệ: {errors: {trường: thông báo tiếng Việt}}",
            errorsOf(feedbackInput, { content: "ngắn", phone: "123", consent: false }),
          ),
          "404": wardNotFound,
          "415": errorResponse(
            "Kiểu nội dung không nhận",
            "unsupported_media_type",
            "Gửi JSON (application/json) hoặc biểu mẫu.",
          ),
          "429": rateLimited,
        },
      },
      get: {
        summary:
          "Phản ánh, kiến nghị đã có kết quả được công bố (không có thông tin cá nhân của người gửi), mới nhất trước",
        parameters: [
          {
            name: "published",
            in: "query",
            required: true,
            description: "Bắt buộc: chỉ danh sách đã công bố kết quả được mở công khai",
            schema: { enum: ["1"] },
          },
          qParam,
          pageParam,
          wardParam,
        ],
        responses: {
          "200": jsonResponse("Danh sách", {
            type: "object",
            properties: {
              total: int,
              page: int,
              pageSize: int,
              items: { type: "array", items: { $ref: "#/components/schemas/PublishedFeedback" } },
            },
            required: ["total", "page", "pageSize", "items"],
          }),
          "400": badQuery(firstMessage(publishedApiQuery, {})),
          "404": wardNotFound,
        },
      },
    },
    "/api/v1/feedback/lookup": {
      post: {
        summary:
          "Tra cứu tình trạng bằng mã và số điện thoại người gửi (trong nội dung, không trên đường dẫn); không có dữ liệu cá nhân",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["code", "phone"],
                properties: { code: { type: "string", maxLength: 40 }, phone: { type: "string", maxLength: 40 } },
              },
              example: { code: "PA-2026-7KQ9XM", phone: "0912345678" },
            },
          },
        },
        responses: {
          "200": jsonResponse("Tình trạng", { $ref: "#/components/schemas/FeedbackStatus" }),
          "400": fieldErrorsResponse("Thiếu mã hoặc số điện thoại", errorsOf(lookupInput, {})),
          "404": errorResponse(
            "Không tìm thấy (mã sai hoặc số điện thoại sai: cùng một câu trả lời)",
            "not_found",
            NOT_FOUND_MESSAGE,
          ),
          "415": errorResponse(
            "Kiểu nội dung không nhận",
            "unsupported_media_type",
            "Gửi JSON (application/json) hoặc biểu mẫu.",
          ),
          "429": rateLimited,
        },
      },
    },
  },
  schemas: {
    FeedbackStatus: {
      type: "object",
      properties: {
        code: str,
        status,
        receivedAt: dateTime,
        deadline: { ...nullableDate, description: "Hạn xử lý theo ngày làm việc; null cho đến khi được phân loại" },
        reason: { ...str, description: "Lý do không tiếp nhận xử lý (khi status là rejected)" },
        forwardedTo: { ...str, description: "Cơ quan có thẩm quyền đã được chuyển đến (khi status là forwarded)" },
        answer: { ...nullableStr, description: "Kết quả trả lời, khi đã công bố" },
        publishedAt: { ...dateTime, description: "Thời điểm công bố kết quả trả lời" },
        history: {
          type: "array",
          description: "Các trạng thái đã qua và thời điểm, cũ trước mới sau, bắt đầu từ khi tiếp nhận",
          items: {
            type: "object",
            properties: { status, at: dateTime },
            required: ["status", "at"],
          },
        },
      },
      required: ["code", "status", "receivedAt", "deadline", "history"],
    },
    PublishedFeedback: {
      type: "object",
      properties: {
        id: {
          ...str,
          description:
            "Mã công khai của câu trả lời (không phải mã tra cứu của người gửi); trang: /gop-y/da-tra-loi/{id}",
        },
        subject,
        contentType,
        procedureCode: nullableStr,
        content: {
          ...str,
          description:
            "Nội dung phản ánh đã được cán bộ rà soát để công khai: họ tên, số điện thoại, địa chỉ, số giấy tờ của người gửi được thay bằng [họ tên], [số điện thoại]…",
        },
        answer: {
          ...str,
          description: "Câu trả lời đã phê duyệt, qua cùng bước che thông tin cá nhân khi công bố.",
        },
        publishedAt: dateTime,
      },
      required: ["id", "subject", "contentType", "procedureCode", "content", "answer", "publishedAt"],
    },
  },
};
