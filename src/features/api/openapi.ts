/**
 * The OpenAPI document of the open data API, assembled from one part per feature (`<feature>.openapi.ts`), each
 * beside the handlers it describes. A feature that adds an endpoint adds it to its part; test/openapi.test.ts
 * fails for any /api/v1 route the document does not describe.
 */
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
