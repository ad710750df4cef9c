/** The questions' part of the OpenAPI document: published answers (FAQ), searchable, without the asker. */
import {
  badQuery,
  date,
  dateTime,
  errorResponse,
  fieldErrorsResponse,
  int,
  jsonResponse,
  nullableStr,
  type OpenApiPart,
  qParam,
  rateLimited,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

export const questionsOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/questions/lookup": {
      post: {
        summary:
          "Người hỏi tra cứu câu hỏi của mình bằng mã và số điện thoại hoặc thư điện tử đã cung cấp (trong nội dung, không trên đường dẫn)",
        parameters: [wardParam],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["code", "contact"],
                properties: {
                  code: { type: "string", maxLength: 40 },
                  contact: { type: "string", maxLength: 200, description: "Số điện thoại hoặc thư điện tử" },
                },
              },
              example: { code: "HD-2026-7KQ9XM", contact: "0912345678" },
            },
          },
        },
        responses: {
          "200": jsonResponse("Tình trạng câu hỏi; câu trả lời khi đã công bố", {
            $ref: "#/components/schemas/QuestionStatus",
          }),
          "400": fieldErrorsResponse("Thiếu mã hoặc số điện thoại, thư điện tử", {
            code: "Nhập mã câu hỏi.",
            contact: "Nhập số điện thoại hoặc thư điện tử đã cung cấp.",
          }),
          "404": errorResponse(
            "Không tìm thấy (mã sai hoặc liên hệ sai: cùng một câu trả lời)",
            "not_found",
            "Không tìm thấy câu hỏi với mã và số điện thoại hoặc thư điện tử này.",
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
    "/api/v1/questions": {
      get: {
        summary: "Hỏi đáp đã công bố của xã, phường (không có thông tin cá nhân của người hỏi)",
        parameters: [
          { ...qParam, description: "Tìm theo chỉ mục tìm kiếm của trang (có dấu hoặc không dấu)" },
          wardParam,
        ],
        responses: {
          "200": jsonResponse("Danh sách", {
            type: "object",
            properties: {
              total: int,
              items: { type: "array", items: { $ref: "#/components/schemas/PublishedQuestion" } },
            },
            required: ["total", "items"],
          }),
          "400": badQuery("q: tối đa 200 ký tự."),
          "404": wardNotFound,
        },
      },
    },
  },
  schemas: {
    QuestionStatus: {
      type: "object",
      properties: {
        code: str,
        status: { ...str, description: "received, routed, drafted, approved, published" },
        receivedAt: dateTime,
        answer: { ...str, description: "Câu trả lời, khi đã công bố" },
        publishedAt: dateTime,
        url: { ...str, description: "Trang hỏi đáp công khai, khi đã công bố" },
      },
      required: ["code", "status", "receivedAt"],
    },
    PublishedQuestion: {
      type: "object",
      properties: {
        id: { ...str, description: "Mã công khai của mục hỏi đáp (không phải mã câu hỏi của người hỏi)" },
        question: {
          ...str,
          description:
            "Câu hỏi đã được cán bộ rà soát để công khai: họ tên, số điện thoại, thư điện tử của người hỏi được thay bằng [họ tên], [số điện thoại]…",
        },
        answer: str,
        procedureCode: nullableStr,
        publishedOn: date,
        url: { type: "string", description: "Đường dẫn trang hỏi đáp, ví dụ /hoi-dap/k7m2xq9pta" },
      },
      required: ["id", "question", "answer", "procedureCode", "publishedOn", "url"],
    },
  },
};
