/** The procedure catalogue's part of the OpenAPI document: the ward's list and one procedure in full. */
import {
  badQuery,
  date,
  errorResponse,
  int,
  jsonResponse,
  nullableDate,
  nullableStr,
  type OpenApiPart,
  pageParam,
  pathParam,
  qParam,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

const procedureStatus = { enum: ["in_force", "amended", "replaced", "abolished"] } as const;

export const proceduresOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/procedures": {
      get: {
        summary:
          "Thủ tục hành chính xã, phường thực hiện (thủ tục đã bãi bỏ chỉ có khi status=abolished hoặc status=all); có q thì xếp theo mức liên quan",
        parameters: [
          qParam,
          { name: "field", in: "query", required: false, description: "Lĩnh vực, ví dụ Hộ tịch", schema: str },
          { name: "level", in: "query", required: false, description: "Cấp thực hiện, ví dụ Cấp tỉnh", schema: str },
          {
            name: "status",
            in: "query",
            required: false,
            schema: { enum: ["in_force", "amended", "replaced", "abolished", "all"] },
          },
          pageParam,
          {
            name: "pageSize",
            in: "query",
            required: false,
            schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
          },
          wardParam,
        ],
        responses: {
          "200": jsonResponse("Danh sách", {
            type: "object",
            properties: {
              total: int,
              page: int,
              pageSize: int,
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    code: str,
                    name: str,
                    field: str,
                    levels: { type: "array", items: str },
                    status: procedureStatus,
                    url: { type: "string", description: "Đường dẫn trên trang, ví dụ /thu-tuc/1.000253" },
                  },
                  required: ["code", "name", "field", "levels", "status", "url"],
                },
              },
            },
            required: ["total", "page", "pageSize", "items"],
          }),
          "400": badQuery("pageSize: từ 1 đến 100."),
          "404": wardNotFound,
        },
      },
    },
    "/api/v1/procedures/{code}": {
      get: {
        summary: "Một thủ tục đầy đủ (mọi trạng thái), với các phiên bản và quyết định công bố",
        parameters: [pathParam("code", { type: "string", pattern: "^\\d+\\.\\d{6}$" }, "Ví dụ 1.000253"), wardParam],
        responses: {
          "200": jsonResponse(
            "Thủ tục: các trường của bản ghi trên Cổng Dịch vụ công, trạng thái, thông tin riêng, phiên bản",
            { $ref: "#/components/schemas/Procedure" },
          ),
          "404": errorResponse(
            "Không có thủ tục này, hoặc thủ tục của tỉnh khác",
            "not_found",
            "Không tìm thấy thủ tục hành chính này.",
          ),
        },
      },
    },
  },
  schemas: {
    Procedure: {
      type: "object",
      properties: {
        code: str,
        name: str,
        field: str,
        levels: { type: "array", items: str },
        status: procedureStatus,
        inForce: { type: "boolean" },
        effectiveFrom: date,
        url: str,
        scope: str,
        decisionNumber: str,
        subjects: { type: "array", items: str },
        receivingAddress: str,
        steps: { type: "array", items: { type: "object", properties: { label: str, text: str } } },
        channels: {
          type: "array",
          items: {
            type: "object",
            properties: {
              channel: { enum: ["truc_tiep", "truc_tuyen", "buu_chinh"] },
              timeLimit: str,
              fee: str,
              description: str,
            },
          },
        },
        dossier: {
          type: "array",
          items: {
            type: "object",
            properties: {
              caseName: str,
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    name: str,
                    form: str,
                    originals: { type: ["integer", "null"] },
                    copies: { type: ["integer", "null"] },
                  },
                },
              },
            },
          },
        },
        legalBases: { type: "array", items: { type: "object", properties: { title: str, number: str } } },
        results: { type: "array", items: { type: "object", properties: { name: str, code: str } } },
        successors: {
          type: "array",
          items: { type: "object", properties: { code: str, name: str, effectiveFrom: date } },
        },
        localOverride: {
          type: ["object", "null"],
          properties: {
            fee: nullableStr,
            receivingAddress: nullableStr,
            openingHours: nullableStr,
            note: nullableStr,
            updatedAt: str,
          },
        },
        versions: {
          type: "array",
          items: {
            type: "object",
            properties: {
              versionNo: int,
              changeType: { enum: ["baseline", "new", "amended", "replaced", "abolished"] },
              effectiveFrom: date,
              replacesCode: nullableStr,
              decision: {
                type: ["object", "null"],
                properties: { number: str, decidedOn: nullableDate, issuer: nullableStr },
              },
            },
            required: ["versionNo", "changeType", "effectiveFrom", "decision"],
          },
        },
      },
      required: ["code", "name", "field", "levels", "status", "url", "versions"],
    },
  },
};
