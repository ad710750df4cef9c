/** The events' part of the OpenAPI document: a ward's announced conferences and meetings. */
import {
  date,
  dateTime,
  errorResponse,
  int,
  jsonResponse,
  nullableInt,
  nullableStr,
  type OpenApiPart,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

export const eventsOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/events": {
      get: {
        summary:
          "Hội nghị, sinh hoạt cộng đồng, cuộc họp lồng ghép của xã, phường đã được duyệt thông báo (cả sự kiện đã hủy sau khi thông báo)",
        parameters: [
          wardParam,
          { name: "from", in: "query", required: false, description: "Từ ngày (YYYY-MM-DD)", schema: date },
          { name: "to", in: "query", required: false, description: "Đến ngày (YYYY-MM-DD)", schema: date },
        ],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/EventList" }),
          "400": errorResponse("Tham số sai", "bad_query", "from: ngày dạng YYYY-MM-DD."),
          "404": wardNotFound,
        },
      },
    },
  },
  schemas: {
    Event: {
      type: "object",
      properties: {
        id: int,
        title: str,
        kind: { type: "string", enum: ["conference", "residential", "union", "integrated"] },
        startsAt: dateTime,
        endsAt: dateTime,
        place: str,
        organiser: str,
        partners: { type: "array", items: str },
        status: { type: "string", enum: ["approved", "held", "cancelled"] },
        expectedAudience: nullableInt,
        attended: { ...nullableInt, description: "Số người có mặt, khi đã tổ chức" },
        url: { ...nullableStr, description: "Trang của sự kiện trên cổng" },
      },
      required: [
        "id",
        "title",
        "kind",
        "startsAt",
        "endsAt",
        "place",
        "organiser",
        "partners",
        "status",
        "expectedAudience",
        "attended",
        "url",
      ],
    },
    EventList: {
      type: "object",
      properties: { total: int, items: { type: "array", items: { $ref: "#/components/schemas/Event" } } },
      required: ["total", "items"],
    },
  },
};
