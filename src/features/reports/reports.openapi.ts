/** The reports' part of the OpenAPI document: a ward's reports to the higher level. */
import {
  date,
  int,
  jsonResponse,
  nullableDate,
  nullableStr,
  type OpenApiPart,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

export const reportsOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/reports": {
      get: {
        summary:
          "Báo cáo của xã, phường gửi cấp trên. Người ngoài chỉ thấy báo cáo đã ban hành và được công khai; cán bộ của xã, phường thấy mọi báo cáo",
        parameters: [wardParam],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/ReportList" }),
          "404": wardNotFound,
        },
      },
    },
  },
  schemas: {
    Report: {
      type: "object",
      properties: {
        id: int,
        number: {
          ...nullableStr,
          description: "Số, ký hiệu theo sổ văn bản đi, ví dụ 01/BC-UBND; null khi chưa ban hành",
        },
        kind: { type: "string", enum: ["quarter", "half", "nine_months", "year", "ad_hoc"] },
        title: str,
        period: { type: "object", properties: { from: date, to: date }, required: ["from", "to"] },
        status: { type: "string", enum: ["draft", "submitted", "approved", "issued"] },
        issuedOn: nullableDate,
        published: { type: "boolean" },
        files: {
          type: "object",
          description:
            "Đường dẫn tải. Người ngoài: chỉ báo cáo đã công khai, gồm bản đã ký (signed, PDF có chữ ký, đóng dấu) và bảng số liệu (xlsx); docx, pdf (bản làm việc chưa ký) là null. Cán bộ của xã, phường: mọi tệp",
          properties: { docx: nullableStr, pdf: nullableStr, xlsx: nullableStr, signed: nullableStr },
          required: ["docx", "pdf", "xlsx", "signed"],
        },
      },
      required: ["id", "number", "kind", "title", "period", "status", "issuedOn", "published", "files"],
    },
    ReportList: {
      type: "object",
      properties: { total: int, items: { type: "array", items: { $ref: "#/components/schemas/Report" } } },
      required: ["total", "items"],
    },
  },
};
