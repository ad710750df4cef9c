/** The radio's part of the OpenAPI document: a ward's approved and aired bulletins with their audio. */
import {
  badQuery,
  date,
  int,
  jsonResponse,
  nullableInt,
  type OpenApiPart,
  str,
  wardNotFound,
  wardParam,
} from "../api/openapi.parts.ts";

export const radioOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/bulletins": {
      get: {
        summary: "Bản tin phát thanh của xã, phường đã được lãnh đạo duyệt (sắp phát và đã phát), kèm tệp âm thanh",
        parameters: [wardParam],
        responses: {
          "200": jsonResponse("Danh sách", { $ref: "#/components/schemas/BulletinList" }),
          "400": badQuery("Chỉ nhận tham số ward."),
          "404": wardNotFound,
        },
      },
    },
  },
  schemas: {
    Bulletin: {
      type: "object",
      properties: {
        id: int,
        title: str,
        broadcastOn: { ...date, description: "Ngày phát (giờ Việt Nam)" },
        slot: { type: "string", enum: ["morning", "noon", "evening"] },
        status: { type: "string", enum: ["approved", "aired"] },
        unit: { ...str, description: "Đơn vị soạn" },
        items: {
          type: "array",
          items: { type: "object", properties: { title: str, script: str }, required: ["title", "script"] },
        },
        audio: {
          type: ["object", "null"],
          properties: {
            url: str,
            mime: str,
            durationSeconds: nullableInt,
            origin: { type: "string", enum: ["speech", "recording"] },
          },
          required: ["url", "mime", "durationSeconds", "origin"],
        },
        approvedAt: { type: ["string", "null"], format: "date-time" },
        url: str,
      },
      required: ["id", "title", "broadcastOn", "slot", "status", "unit", "items", "audio", "approvedAt", "url"],
    },
    BulletinList: {
      type: "object",
      properties: { total: int, items: { type: "array", items: { $ref: "#/components/schemas/Bulletin" } } },
      required: ["total", "items"],
    },
  },
};
