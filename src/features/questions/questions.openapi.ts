/** The questions' part of the OpenAPI document: published answers (FAQ), searchable, without the asker. */
import {
  badQuery,
  date,
  int,
  jsonResponse,
  nullableStr,
  type OpenApiPart,
  qParam,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

export const questionsOpenApi: OpenApiPart = {
  paths: {
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
    PublishedQuestion: {
      type: "object",
      properties: {
        id: int,
        question: {
          ...str,
          description:
            "Câu hỏi đã được cán bộ rà soát để công khai: họ tên, số điện thoại, thư điện tử của người hỏi được thay bằng [họ tên], [số điện thoại]…",
        },
        answer: str,
        procedureCode: nullableStr,
        publishedOn: date,
        url: { type: "string", description: "Đường dẫn trang hỏi đáp, ví dụ /hoi-dap/12" },
      },
      required: ["id", "question", "answer", "procedureCode", "publishedOn", "url"],
    },
  },
};
