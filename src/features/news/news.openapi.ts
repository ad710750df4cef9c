/** The news part of the OpenAPI document: a ward's published articles and good models. */
import {
  dateTime,
  errorResponse,
  int,
  jsonResponse,
  type OpenApiPart,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

export const newsOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/news": {
      get: {
        summary: "Tin, bài và mô hình, điển hình tốt về cải cách hành chính đã đăng của xã, phường (mới nhất trước)",
        parameters: [
          wardParam,
          {
            name: "kind",
            in: "query",
            required: false,
            description: "news: tin, bài; model: mô hình, điển hình tốt",
            schema: { type: "string", enum: ["news", "model"] },
          },
        ],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/NewsList" }),
          "400": errorResponse("Tham số sai", "bad_query", "kind: news hoặc model."),
          "404": wardNotFound,
        },
      },
    },
  },
  schemas: {
    NewsArticle: {
      type: "object",
      properties: {
        id: int,
        kind: { type: "string", enum: ["news", "model"] },
        title: str,
        summary: str,
        publishedAt: dateTime,
        unit: { ...str, description: "Đơn vị viết bài" },
        url: { ...str, description: "Trang của bài trên cổng" },
        photos: {
          type: "array",
          items: {
            type: "object",
            properties: { url: str, alt: str, width: int, height: int },
            required: ["url", "alt", "width", "height"],
          },
        },
      },
      required: ["id", "kind", "title", "summary", "publishedAt", "unit", "url", "photos"],
    },
    NewsList: {
      type: "object",
      properties: { total: int, items: { type: "array", items: { $ref: "#/components/schemas/NewsArticle" } } },
      required: ["total", "items"],
    },
  },
};
