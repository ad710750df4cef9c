/** The OpenAPI document of the open data API. Schemas mirror what the handlers return. */

const str = { type: "string" } as const;
const nullableStr = { type: ["string", "null"] } as const;
const date = { type: "string", format: "date" } as const;
const nullableDate = { type: ["string", "null"], format: "date" } as const;

const feedbackCode = { type: "object", properties: { code: str }, required: ["code"] } as const;
const fieldErrors = {
  type: "object",
  properties: { errors: { type: "object", additionalProperties: str } },
  required: ["errors"],
} as const;

const wardRef = {
  type: "object",
  properties: { code: str, name: str, validTo: nullableDate },
  required: ["code", "name", "validTo"],
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "CCHC — dữ liệu mở về kế hoạch tuyên truyền cải cách hành chính",
      version: "1.0.0",
      description:
        "Ngày theo ISO YYYY-MM-DD; danh sách dạng {total, items}; mã bằng tiếng Anh, nhãn tiếng Việt đi kèm; văn bản chuẩn NFC. Chọn xã, phường bằng ?ward=MÃ (mặc định: xã, phường của hệ thống).",
    },
    servers: [{ url: "/" }],
    paths: {
      "/api/v1/plans": {
        get: {
          summary: "Các kế hoạch của xã, phường (gồm kế hoạch của đơn vị trước sắp xếp)",
          parameters: [
            {
              name: "ward",
              in: "query",
              required: false,
              schema: { type: "string", pattern: "^\\d{5}(@\\d{4}-\\d{2}-\\d{2})?$" },
            },
          ],
          responses: {
            "200": {
              description: "Danh sách",
              content: { "application/json": { schema: { $ref: "#/components/schemas/PlanList" } } },
            },
            "404": {
              description: "Không có xã, phường",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      "/api/v1/plans/{id}": {
        get: {
          summary: "Một kế hoạch đầy đủ, với nhiệm vụ và trạng thái",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "integer" } },
            { name: "ward", in: "query", required: false, schema: str },
          ],
          responses: {
            "200": {
              description: "Kế hoạch",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Plan" } } },
            },
            "404": {
              description: "Không tìm thấy",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      "/api/v1/vocabularies": {
        get: {
          summary:
            "Danh mục dùng chung toàn quốc: 6 lĩnh vực CCHC (pillars) và các hình thức tuyên truyền (channelKinds)",
          responses: {
            "200": {
              description: "Danh mục",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      pillars: { type: "array", items: { type: "object", properties: { code: str, label: str } } },
                      channelKinds: { type: "array", items: { type: "object", properties: { code: str, label: str } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      "/api/v1/procedures": {
        get: {
          summary:
            "Thủ tục hành chính xã, phường thực hiện (thủ tục đã bãi bỏ chỉ có khi status=abolished hoặc status=all)",
          parameters: [
            { name: "q", in: "query", required: false, schema: { type: "string", maxLength: 200 } },
            { name: "field", in: "query", required: false, description: "Lĩnh vực, ví dụ Hộ tịch", schema: str },
            { name: "level", in: "query", required: false, description: "Cấp thực hiện, ví dụ Cấp tỉnh", schema: str },
            {
              name: "status",
              in: "query",
              required: false,
              schema: { enum: ["in_force", "amended", "replaced", "abolished", "all"] },
            },
            { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1, default: 1 } },
            {
              name: "pageSize",
              in: "query",
              required: false,
              schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
            },
            { name: "ward", in: "query", required: false, schema: str },
          ],
          responses: {
            "200": {
              description: "Danh sách",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      total: { type: "integer" },
                      page: { type: "integer" },
                      pageSize: { type: "integer" },
                      items: {
                        type: "array",
                        items: {
                          type: "object",
                          properties: {
                            code: str,
                            name: str,
                            field: str,
                            levels: { type: "array", items: str },
                            status: { enum: ["in_force", "amended", "replaced", "abolished"] },
                            url: { type: "string", description: "Đường dẫn trên trang, ví dụ /thu-tuc/1.000253" },
                          },
                          required: ["code", "name", "field", "levels", "status", "url"],
                        },
                      },
                    },
                    required: ["total", "items"],
                  },
                },
              },
            },
            "400": {
              description: "Tham số không hợp lệ",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      "/api/v1/procedures/{code}": {
        get: {
          summary: "Một thủ tục đầy đủ (mọi trạng thái), với các phiên bản và quyết định công bố",
          parameters: [
            { name: "code", in: "path", required: true, schema: { type: "string", pattern: "^\\d+\\.\\d{6}$" } },
            { name: "ward", in: "query", required: false, schema: str },
          ],
          responses: {
            "200": {
              description:
                "Thủ tục: các trường của bản ghi trên Cổng Dịch vụ công, trạng thái, thông tin riêng, phiên bản",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      code: str,
                      name: str,
                      field: str,
                      levels: { type: "array", items: str },
                      status: { enum: ["in_force", "amended", "replaced", "abolished"] },
                      inForce: { type: "boolean" },
                      effectiveFrom: date,
                      url: str,
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
                            versionNo: { type: "integer" },
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
              },
            },
            "404": {
              description: "Không có thủ tục này, hoặc thủ tục của tỉnh khác",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      "/api/v1/feedback": {
        post: {
          summary:
            "Gửi phản ánh, kiến nghị (NĐ 20/2008): họ tên, địa chỉ, số điện thoại và đồng ý xử lý dữ liệu là bắt buộc",
          parameters: [{ name: "ward", in: "query", required: false, schema: str }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["content", "name", "address", "phone", "consent"],
                  properties: {
                    content: { type: "string", minLength: 10, maxLength: 5000 },
                    name: str,
                    address: str,
                    phone: { type: "string", description: "0 và 9 chữ số, hoặc +84 và 9 chữ số" },
                    consent: { const: true },
                    email: str,
                    procedureCode: { type: "string", pattern: "^\\d{1,3}\\.\\d{6}$" },
                    subject: { enum: ["procedure", "regulation", "conduct"] },
                    contentType: {
                      enum: [
                        "obstacle",
                        "unsuitable",
                        "inconsistent",
                        "unlawful",
                        "treaty",
                        "other",
                        "proposal",
                        "initiative",
                      ],
                    },
                    idempotencyKey: { type: "string", maxLength: 200 },
                  },
                },
              },
            },
          },
          responses: {
            "201": { description: "Đã tiếp nhận: {code}", content: { "application/json": { schema: feedbackCode } } },
            "200": {
              description: "Khóa idempotencyKey đã dùng: cùng mã",
              content: { "application/json": { schema: feedbackCode } },
            },
            "400": {
              description: "{errors: {trường: thông báo tiếng Việt}}",
              content: { "application/json": { schema: fieldErrors } },
            },
            "429": { description: "Quá nhiều yêu cầu; xem Retry-After" },
          },
        },
      },
      "/api/v1/feedback/lookup": {
        post: {
          summary: "Tra cứu tình trạng bằng mã và số điện thoại người gửi",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { type: "object", required: ["code", "phone"], properties: { code: str, phone: str } },
              },
            },
          },
          responses: {
            "200": {
              description: "Tình trạng",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { code: str, status: { enum: ["received"] }, receivedAt: str },
                  },
                },
              },
            },
            "400": {
              description: "Thiếu mã hoặc số điện thoại",
              content: { "application/json": { schema: fieldErrors } },
            },
            "404": {
              description: "Không tìm thấy (mã sai hoặc số điện thoại sai: cùng một câu trả lời)",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
            "429": { description: "Quá nhiều yêu cầu; xem Retry-After" },
          },
        },
      },
      "/api/v1/surveys/{id}/results": {
        get: {
          summary:
            "Kết quả khảo sát sự hài lòng (SIPAS): chỉ số tiêu chí = % trả lời 4 hoặc 5; yếu tố = trung bình các tiêu chí có trả lời; chung = trung bình các yếu tố có trả lời. Chỉ số 0–100, một chữ số thập phân, null khi chưa có trả lời",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "integer" } },
            { name: "ward", in: "query", required: false, schema: str },
          ],
          responses: {
            "200": {
              description: "Kết quả, không có dữ liệu cá nhân",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["surveyId", "overall", "factors", "byMonth"],
                    properties: {
                      surveyId: { type: "integer" },
                      overall: { type: ["number", "null"] },
                      factors: {
                        type: "array",
                        items: {
                          type: "object",
                          required: ["code", "title", "index", "criteria"],
                          properties: {
                            code: str,
                            title: str,
                            index: { type: ["number", "null"] },
                            criteria: {
                              type: "array",
                              items: {
                                type: "object",
                                required: ["code", "text", "index", "answers"],
                                properties: {
                                  code: str,
                                  text: str,
                                  index: { type: ["number", "null"] },
                                  answers: { type: "integer" },
                                },
                              },
                            },
                          },
                        },
                      },
                      byMonth: {
                        type: "array",
                        items: {
                          type: "object",
                          required: ["month", "overall"],
                          properties: {
                            month: { type: "string", pattern: "^\\d{4}-\\d{2}$" },
                            overall: { type: ["number", "null"] },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            "404": {
              description: "Không tìm thấy",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      "/api/v1/questions": {
        get: {
          summary: "Hỏi đáp đã công bố của xã, phường (không có thông tin cá nhân của người hỏi)",
          parameters: [
            {
              name: "q",
              in: "query",
              required: false,
              description: "Tìm theo chỉ mục tìm kiếm của trang (có dấu hoặc không dấu)",
              schema: { type: "string", maxLength: 200 },
            },
            { name: "ward", in: "query", required: false, schema: str },
          ],
          responses: {
            "200": {
              description: "Danh sách",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      total: { type: "integer" },
                      items: {
                        type: "array",
                        items: {
                          type: "object",
                          properties: {
                            id: { type: "integer" },
                            question: str,
                            answer: str,
                            procedureCode: nullableStr,
                            publishedOn: date,
                            url: str,
                          },
                          required: ["id", "question", "answer", "procedureCode", "publishedOn", "url"],
                        },
                      },
                    },
                    required: ["total", "items"],
                  },
                },
              },
            },
            "400": {
              description: "Tham số không hợp lệ",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      "/healthz": { get: { summary: "Tình trạng", responses: { "200": { description: "{status, db}" } } } },
    },
    components: {
      schemas: {
        Error: {
          type: "object",
          properties: { error: { type: "object", properties: { id: str, message: str }, required: ["id", "message"] } },
        },
        PlanSummary: {
          type: "object",
          properties: {
            id: { type: "integer" },
            number: str,
            title: str,
            year: { type: "integer" },
            issuedOn: date,
            ward: wardRef,
          },
          required: ["id", "number", "title", "year", "issuedOn", "ward"],
        },
        PlanList: {
          type: "object",
          properties: {
            total: { type: "integer" },
            items: { type: "array", items: { $ref: "#/components/schemas/PlanSummary" } },
          },
          required: ["total", "items"],
        },
        UnitRole: {
          type: "object",
          properties: { id: { type: "integer" }, name: str, role: { enum: ["lead", "support"] } },
          required: ["id", "name", "role"],
        },
        Task: {
          type: "object",
          properties: {
            id: { type: "integer" },
            group: str,
            text: str,
            units: { type: "array", items: { $ref: "#/components/schemas/UnitRole" } },
            unit: { type: ["object", "null"], properties: { id: { type: "integer" }, name: str } },
            status: { enum: ["not_started", "in_progress", "done", "overdue"] },
            statusLabel: str,
            dueOn: nullableDate,
            recurrence: { enum: ["monthly", "quarterly", null] },
          },
          required: ["id", "text", "units", "unit", "status", "dueOn"],
        },
        Plan: {
          type: "object",
          properties: {
            id: { type: "integer" },
            number: str,
            title: str,
            issuedOn: date,
            place: nullableStr,
            issuer: nullableStr,
            ward: wardRef,
            period: { type: "object", properties: { from: nullableDate, to: nullableDate } },
            basis: { type: "array", items: str },
            signer: { type: "object", properties: { position: nullableStr, name: nullableStr } },
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
            "tasks",
          ],
        },
      },
    },
  };
}
