/** The reports' part of the OpenAPI document: a ward's reports to the higher level. */
import {
  date,
  errorResponse,
  int,
  jsonResponse,
  nullableDate,
  nullableStr,
  type OpenApiPart,
  str,
  wardParam,
} from "../api/openapi.parts.ts";

export const reportsOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/reports": {
      get: {
        summary:
          "Báo cáo của xã, phường gửi cấp trên; với mã tỉnh (ward=51), báo cáo tổng hợp của chính tỉnh đó. Người ngoài chỉ thấy báo cáo đã ban hành và được công khai; cán bộ của xã, phường (của tỉnh) thấy mọi báo cáo của đơn vị mình",
        parameters: [
          {
            ...wardParam,
            description:
              "Mã xã, phường (5 chữ số), hoặc mã tỉnh, thành phố (2 chữ số, ví dụ 51) để lấy báo cáo tổng hợp của tỉnh; mặc định: xã, phường của hệ thống",
            schema: { type: "string", pattern: "^(\\d{5}(@\\d{4}-\\d{2}-\\d{2})?|\\d{2})$" },
          },
        ],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/ReportList" }),
          "404": errorResponse(
            "Không có xã, phường (hoặc tỉnh, thành phố) với mã ?ward=",
            "ward_not_found",
            "Không có tỉnh, thành phố mã 99.",
          ),
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
            "Đường dẫn tải. Người ngoài: chỉ báo cáo đã công khai, gồm bản đã ký (signed, PDF có chữ ký, đóng dấu) và bảng số liệu (xlsx); docx, pdf (bản làm việc chưa ký) là null. Cán bộ của xã, phường (của tỉnh): mọi tệp. Báo cáo của tỉnh tải tại /tinh/{mã tỉnh}/bao-cao/{id}/…",
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
