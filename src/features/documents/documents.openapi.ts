/** The library's part of the OpenAPI document: a ward's legal documents with their status and relations. */
import {
  errorResponse,
  int,
  jsonResponse,
  nullableDate,
  nullableInt,
  nullableStr,
  type OpenApiPart,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";
import { RELATIONS, STATUSES } from "./documents.rules.ts";

const relationKinds = [...new Set(Object.values(RELATIONS).flatMap((r) => [r.active, r.passive]))];

export const documentsOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/documents": {
      get: {
        summary:
          "Văn bản trong thư viện của xã, phường (văn bản kế hoạch dẫn chiếu và văn bản được tuyên truyền), với tình trạng hiệu lực tính theo ngày hôm nay và quan hệ giữa các văn bản",
        parameters: [
          wardParam,
          {
            name: "q",
            in: "query",
            required: false,
            description: "Từ trong số, ký hiệu, tên hoặc cơ quan ban hành (không phân biệt dấu)",
            schema: str,
          },
          {
            name: "status",
            in: "query",
            required: false,
            description: `Tình trạng hiệu lực: mã (${Object.keys(STATUSES).join(", ")}, none = không có hiệu lực pháp lý) hoặc nhãn tiếng Việt`,
            schema: str,
          },
          { name: "kind", in: "query", required: false, description: "Loại văn bản, ví dụ Quyết định", schema: str },
          { name: "year", in: "query", required: false, description: "Năm ban hành (YYYY)", schema: str },
        ],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/LegalDocumentList" }),
          "400": errorResponse("Tham số sai", "bad_query", "year: năm gồm 4 chữ số, ví dụ 2023."),
          "404": wardNotFound,
        },
      },
    },
  },
  schemas: {
    LegalDocument: {
      type: "object",
      properties: {
        id: int,
        number: { ...nullableStr, description: "Số, ký hiệu; null với luật chỉ dẫn chiếu theo tên và năm" },
        type: { ...str, description: "Loại văn bản: Luật, Nghị định, Quyết định, Nghị quyết, Kế hoạch …" },
        issuer: nullableStr,
        issuedOn: nullableDate,
        effectiveFrom: nullableDate,
        expiresOn: nullableDate,
        year: nullableInt,
        status: {
          type: ["string", "null"],
          enum: [...Object.keys(STATUSES), null],
          description: "Tình trạng hiệu lực hôm nay; null với văn bản của Đảng, kế hoạch, văn bản hành chính",
        },
        statusLabel: nullableStr,
        title: str,
        officialUrl: nullableStr,
        toComplete: { type: "boolean", description: "Mục mới có thông tin từ trích dẫn của kế hoạch, cần bổ sung" },
        relations: {
          type: "array",
          items: {
            type: "object",
            properties: {
              kind: { type: "string", enum: relationKinds, description: "Quan hệ nhìn từ văn bản này" },
              label: { ...str, description: "Nhãn của văn bản kia, ví dụ “Văn bản bị thay thế”" },
              document: {
                type: "object",
                properties: { id: int, number: nullableStr },
                required: ["id", "number"],
              },
            },
            required: ["kind", "label", "document"],
          },
        },
        url: str,
      },
      required: [
        "id",
        "number",
        "type",
        "issuer",
        "issuedOn",
        "effectiveFrom",
        "expiresOn",
        "year",
        "status",
        "statusLabel",
        "title",
        "officialUrl",
        "toComplete",
        "relations",
        "url",
      ],
    },
    LegalDocumentList: {
      type: "object",
      properties: { total: int, items: { type: "array", items: { $ref: "#/components/schemas/LegalDocument" } } },
      required: ["total", "items"],
    },
  },
};
