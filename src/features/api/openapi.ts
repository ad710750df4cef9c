/**
 * The OpenAPI document of the open data API, assembled from one part per feature (`<feature>.openapi.ts`), each
 * beside the handlers it describes. A feature that adds an endpoint adds it to its part; test/openapi.test.ts
 * fails for any /api/v1 route the document does not describe.
 */
import { NOT_READY_REASONS } from "../../core/web/ops.ts";
import { documentsOpenApi } from "../documents/documents.openapi.ts";
import { eventsOpenApi } from "../events/events.openapi.ts";
import { feedbackOpenApi } from "../feedback/feedback.openapi.ts";
import { newsOpenApi } from "../news/news.openapi.ts";
import { plansOpenApi } from "../plans/plans.openapi.ts";
import { proceduresOpenApi } from "../procedures/procedures.openapi.ts";
import { questionsOpenApi } from "../questions/questions.openapi.ts";
import { radioOpenApi } from "../radio/radio.openapi.ts";
import { reportsOpenApi } from "../reports/reports.openapi.ts";
import { rollupOpenApi } from "../rollup/rollup.openapi.ts";
import { surveysOpenApi } from "../surveys/surveys.openapi.ts";
import { commonSchemas, type OpenApiPart, type PathItem, type Schema } from "./openapi.parts.ts";

/** Every feature's part, in the order the document lists them. */
export const OPENAPI_PARTS: readonly OpenApiPart[] = [
  plansOpenApi,
  proceduresOpenApi,
  feedbackOpenApi,
  questionsOpenApi,
  surveysOpenApi,
  reportsOpenApi,
  rollupOpenApi,
  eventsOpenApi,
  documentsOpenApi,
  radioOpenApi,
  newsOpenApi,
];

/** The codes /readyz gives its reasons. */
const notReadyReason = { type: "string", enum: [...NOT_READY_REASONS] };

const serviceOpenApi: OpenApiPart = {
  paths: {
    "/healthz": {
      get: {
        summary: "Tình trạng dịch vụ và cơ sở dữ liệu",
        responses: {
          "200": {
            description: "Đang chạy",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { status: { const: "ok" }, db: { enum: ["sqlite", "postgres"] } },
                  required: ["status", "db"],
                },
              },
            },
          },
          "503": {
            description:
              "Tệp cơ sở dữ liệu SQLite đã bị xoá hoặc thay thế khi máy chủ đang chạy: mọi thao tác ghi bị từ chối",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    status: { const: "error" },
                    db: { enum: ["sqlite", "postgres"] },
                    error: { type: "string" },
                  },
                  required: ["status", "db", "error"],
                },
              },
            },
          },
        },
      },
    },
    "/readyz": {
      get: {
        summary: "Sẵn sàng nhận yêu cầu (cho bộ cân bằng tải): cơ sở dữ liệu, migration, chỉ mục tìm kiếm",
        description:
          "200 chỉ khi tiến trình nên nhận yêu cầu; 503 kèm mọi lý do tìm thấy, mỗi lý do một mã cố định và một câu tiếng Việt. Mã: shutting_down (đang dừng), database_lost (tệp SQLite bị xoá hoặc thay thế), database_unreachable (cơ sở dữ liệu không trả lời), database_not_portal (không có dữ liệu của cổng), database_replaced (không còn là cơ sở dữ liệu đã mở lúc khởi động), migrations_pending (còn migration chưa áp dụng), search_index_building (chỉ mục tìm kiếm đang được xây dựng).",
        responses: {
          "200": {
            description: "Sẵn sàng",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { status: { const: "ready" }, db: { enum: ["sqlite", "postgres"] } },
                  required: ["status", "db"],
                  additionalProperties: false,
                },
              },
            },
          },
          "503": {
            description: "Chưa sẵn sàng: lý do đầu tiên trong reason và message, mọi lý do trong problems",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    status: { const: "not_ready" },
                    db: { enum: ["sqlite", "postgres"] },
                    reason: notReadyReason,
                    message: { type: "string" },
                    problems: {
                      type: "array",
                      minItems: 1,
                      items: {
                        type: "object",
                        properties: {
                          reason: notReadyReason,
                          message: { type: "string" },
                        },
                        required: ["reason", "message"],
                      },
                    },
                  },
                  required: ["status", "db", "reason", "message", "problems"],
                },
                example: {
                  status: "not_ready",
                  db: "postgres",
                  reason: "search_index_building",
                  message: "Chỉ mục tìm kiếm đang được xây dựng.",
                  problems: [{ reason: "search_index_building", message: "Chỉ mục tìm kiếm đang được xây dựng." }],
                },
              },
            },
          },
        },
      },
    },
    "/metrics": {
      get: {
        summary: "Số liệu vận hành theo định dạng Prometheus (chỉ khi đặt METRICS_TOKEN)",
        description:
          "Số yêu cầu và thời gian trả lời theo mẫu đường dẫn và nhóm mã trạng thái, bộ đệm trang, hàng đợi việc nền, bộ nhớ của tiến trình. Cần tiêu đề Authorization: Bearer <METRICS_TOKEN>; khi không đặt METRICS_TOKEN, đường dẫn này không tồn tại (404).",
        responses: {
          "200": { description: "Văn bản Prometheus 0.0.4", content: { "text/plain": { schema: { type: "string" } } } },
          "401": { description: "Thiếu hoặc sai mã truy cập" },
          "404": { description: "Chưa bật (METRICS_TOKEN chưa đặt)" },
        },
      },
    },
    "/api/openapi.json": {
      get: { summary: "Tài liệu OpenAPI này", responses: { "200": { description: "Tài liệu OpenAPI 3.1" } } },
    },
  },
};

/** Merge the parts; two parts describing the same operation or naming the same schema is a mistake, caught here. */
export function assemble(parts: readonly OpenApiPart[]) {
  const paths: Record<string, PathItem> = {};
  const schemas: Record<string, Schema> = { ...commonSchemas };
  for (const part of parts) {
    for (const [path, item] of Object.entries(part.paths)) {
      const into = paths[path] ?? {};
      paths[path] = into;
      for (const [method, op] of Object.entries(item)) {
        if (into[method]) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} described twice`);
        into[method] = op;
      }
    }
    for (const [name, schema] of Object.entries(part.schemas ?? {})) {
      if (schemas[name]) throw new Error(`OpenAPI: schema ${name} defined twice`);
      schemas[name] = schema;
    }
  }
  return { paths, schemas };
}

let built: ReturnType<typeof build> | undefined;

function build() {
  const { paths, schemas } = assemble([...OPENAPI_PARTS, serviceOpenApi]);
  return {
    openapi: "3.1.0",
    info: {
      title: "CCHC — dữ liệu mở về kế hoạch tuyên truyền cải cách hành chính",
      version: "1.0.0",
      description:
        "Ngày theo ISO YYYY-MM-DD; danh sách dạng {total, items}; mã bằng tiếng Anh, nhãn tiếng Việt đi kèm; văn bản chuẩn NFC. Chọn xã, phường bằng ?ward=MÃ (mặc định: xã, phường của hệ thống). Lỗi: {error: {id, message}} hoặc, với dữ liệu gửi lên, {errors: {trường: thông báo}}; thông báo bằng tiếng Việt.",
    },
    servers: [{ url: "/" }],
    paths,
    components: { schemas },
  };
}

/** The document, built once: it depends on code only. */
export function openApiDocument() {
  built ??= build();
  return built;
}
