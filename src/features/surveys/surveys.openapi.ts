/** The satisfaction surveys' part of the OpenAPI document: a survey's SIPAS results, anonymous figures only. */
import {
  errorResponse,
  index,
  int,
  jsonResponse,
  type OpenApiPart,
  pathParam,
  str,
  wardParam,
} from "../api/openapi.parts.ts";

export const surveysOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/surveys/{id}/results": {
      get: {
        summary:
          "Kết quả khảo sát sự hài lòng (SIPAS): chỉ số tiêu chí = % trả lời 4 hoặc 5; yếu tố = trung bình các tiêu chí có trả lời; chung = trung bình các yếu tố có trả lời. Chỉ số 0–100, một chữ số thập phân, null khi chưa có trả lời",
        parameters: [pathParam("id", int), wardParam],
        responses: {
          "200": jsonResponse("Kết quả, không có dữ liệu cá nhân", { $ref: "#/components/schemas/SurveyResults" }),
          "404": errorResponse("Không có cuộc khảo sát này ở xã, phường", "not_found", "Không tìm thấy cuộc khảo sát."),
        },
      },
    },
  },
  schemas: {
    SurveyResults: {
      type: "object",
      required: ["surveyId", "overall", "factors", "byMonth"],
      properties: {
        surveyId: int,
        overall: index,
        factors: {
          type: "array",
          items: {
            type: "object",
            required: ["code", "title", "index", "criteria"],
            properties: {
              code: str,
              title: str,
              index,
              criteria: {
                type: "array",
                items: {
                  type: "object",
                  required: ["code", "text", "index", "answers"],
                  properties: { code: str, text: str, index, answers: { ...int, description: "Số câu trả lời" } },
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
            properties: { month: { type: "string", pattern: "^\\d{4}-\\d{2}$" }, overall: index },
          },
        },
        byField: {
          type: "array",
          description: "Chỉ số chung và theo yếu tố, theo lĩnh vực thủ tục mà phiếu đánh giá (có thể không có)",
          items: {
            type: "object",
            required: ["field", "overall"],
            properties: {
              field: str,
              overall: index,
              answers: { ...int, description: "Số phiếu trả lời về lĩnh vực này" },
              factors: {
                type: "array",
                items: { type: "object", required: ["code", "index"], properties: { code: str, index } },
              },
            },
          },
        },
      },
    },
  },
};
