/** The plans' part of the OpenAPI document: the ward's plans, one plan in full, the shared vocabularies. */
import {
  date,
  errorResponse,
  int,
  jsonResponse,
  nullableDate,
  nullableStr,
  type OpenApiPart,
  pathParam,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

const wardRef = {
  type: ["object", "null"],
  properties: {
    code: str,
    name: str,
    validTo: nullableDate,
    partial: { type: "boolean", description: "Đơn vị trước sắp xếp chỉ nhập một phần vào xã, phường này" },
  },
  required: ["code", "name", "validTo"],
};

const planNotFound = errorResponse("Không tìm thấy", "not_found", "Không tìm thấy kế hoạch.");

export const plansOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/plans": {
      get: {
        summary: "Các kế hoạch của xã, phường (gồm kế hoạch của đơn vị trước sắp xếp)",
        parameters: [wardParam],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/PlanList" }),
          "404": wardNotFound,
        },
      },
    },
    "/api/v1/plans/{id}": {
      get: {
        summary: "Một kế hoạch đầy đủ, với nhiệm vụ và trạng thái",
        parameters: [pathParam("id", int), wardParam],
        responses: {
          "200": jsonResponse("Kế hoạch", { $ref: "#/components/schemas/Plan" }),
          "404": planNotFound,
        },
      },
    },
    "/api/v1/vocabularies": {
      get: {
        summary:
          "Danh mục dùng chung toàn quốc: 6 lĩnh vực CCHC (pillars) và các hình thức tuyên truyền (channelKinds)",
        responses: {
          "200": jsonResponse("Danh mục", {
            type: "object",
            properties: {
              pillars: {
                type: "array",
                items: { type: "object", properties: { code: str, label: str }, required: ["code", "label"] },
              },
              channelKinds: {
                type: "array",
                items: { type: "object", properties: { code: str, label: str }, required: ["code", "label"] },
              },
            },
            required: ["pillars", "channelKinds"],
          }),
        },
      },
    },
  },
  schemas: {
    PlanSummary: {
      type: "object",
      properties: { id: int, number: str, title: str, year: int, issuedOn: date, ward: wardRef },
      required: ["id", "number", "title", "year", "issuedOn", "ward"],
    },
    PlanList: {
      type: "object",
      properties: { total: int, items: { type: "array", items: { $ref: "#/components/schemas/PlanSummary" } } },
      required: ["total", "items"],
    },
    PlanBudget: {
      description:
        "The plan's budget in đồng (integers): the lines read from its budget section and as staff corrected them. " +
        "`total` is the total the plan states, else the sum of the lines when every line has an amount, else null " +
        "(the plan states none). A line's `amount` is null when the plan names its source but no amount. Spending is " +
        "not here: it is the `cost` of the plan's activities.",
      type: "object",
      properties: {
        total: { type: ["integer", "null"] },
        lines: {
          type: "array",
          items: {
            type: "object",
            properties: { amount: { type: ["integer", "null"] }, source: nullableStr, purpose: str },
            required: ["amount", "source", "purpose"],
          },
        },
      },
      required: ["total", "lines"],
    },
    UnitRole: {
      type: "object",
      properties: {
        id: int,
        name: str,
        role: { enum: ["lead", "support"] },
        kind: {
          enum: ["own", "partner"],
          description: "own: a unit of the ward; partner: a body the ward only requests (the Front, the unions)",
        },
      },
      required: ["id", "name", "role", "kind"],
    },
    Task: {
      type: "object",
      properties: {
        id: int,
        group: str,
        text: str,
        units: { type: "array", items: { $ref: "#/components/schemas/UnitRole" } },
        unit: { type: ["object", "null"], properties: { id: int, name: str } },
        status: { enum: ["not_started", "in_progress", "done", "overdue"] },
        statusLabel: str,
        dueOn: nullableDate,
        recurrence: { enum: ["monthly", "quarterly", "yearly", "continuous", null] },
      },
      required: ["id", "text", "units", "unit", "status", "dueOn"],
    },
    Plan: {
      type: "object",
      properties: {
        id: int,
        number: str,
        title: str,
        issuedOn: date,
        place: nullableStr,
        issuer: nullableStr,
        ward: wardRef,
        period: { type: "object", properties: { from: nullableDate, to: nullableDate } },
        basis: { type: "array", items: str },
        signer: {
          type: "object",
          description:
            "The signature block: “TM. ỦY BAN NHÂN DÂN” (authority) / “KT. CHỦ TỊCH” (onBehalfOf) / “PHÓ CHỦ TỊCH” (position) / name",
          properties: { name: nullableStr, position: nullableStr, authority: nullableStr, onBehalfOf: nullableStr },
          required: ["name", "position", "authority", "onBehalfOf"],
        },
        purposes: { type: "array", items: str },
        requirements: { type: "array", items: str },
        documentsToCommunicate: str,
        contentAreas: {
          type: "array",
          items: {
            type: "object",
            properties: {
              code: str,
              title: str,
              pillar: {
                enum: [
                  "institutions",
                  "procedures",
                  "apparatus",
                  "civil_service",
                  "public_finance",
                  "e_government",
                  null,
                ],
              },
              items: { type: "array", items: str },
            },
          },
        },
        channels: { type: "array", items: { type: "object", properties: { code: str, title: str, kind: str } } },
        references: {
          type: "array",
          items: {
            type: "object",
            properties: {
              kind: str,
              number: nullableStr,
              title: nullableStr,
              issuedOn: nullableDate,
              issuer: nullableStr,
              year: { type: ["integer", "null"] },
            },
          },
        },
        mentions: { type: "array", items: str },
        recipients: { type: "array", items: str },
        budget: { $ref: "#/components/schemas/PlanBudget" },
        tasks: { type: "array", items: { $ref: "#/components/schemas/Task" } },
      },
      required: [
        "id",
        "number",
        "title",
        "issuedOn",
        "ward",
        "period",
        "purposes",
        "requirements",
        "contentAreas",
        "channels",
        "references",
        "recipients",
        "budget",
        "tasks",
      ],
    },
  },
};
