/** The roll-up's part of the OpenAPI document: a province's wards' figures over a period. */
import {
  badQuery,
  date,
  errorResponse,
  index,
  int,
  jsonResponse,
  nullableStr,
  type OpenApiPart,
  str,
} from "../api/openapi.parts.ts";

const dayParam = (name: string, description: string) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: { type: "string", format: "date" },
});

const counts = (names: string[]) => ({
  type: "object",
  properties: Object.fromEntries(names.map((n) => [n, int])),
  required: names,
});

export const rollupOpenApi: OpenApiPart = {
  paths: {
    "/api/v1/rollup": {
      get: {
        summary:
          "Số liệu tổng hợp các xã, phường của một tỉnh, thành phố trong một kỳ: kế hoạch đang thực hiện, nhiệm vụ, hoạt động tuyên truyền, số người được tiếp cận, kinh phí, phản ánh kiến nghị, chỉ số hài lòng. Chỉ có số liệu, không có thông tin cá nhân. Mỗi bản ghi được tính một lần, cho xã, phường của nó; bản ghi của đơn vị cũ đã nhập trọn vào một xã, phường tính cho đơn vị kế thừa; đơn vị cũ bị chia cho nhiều xã, phường có dòng riêng ghi “(trước sắp xếp)”. Mở cho mọi người, trừ khi hệ thống đặt ROLLUP_PUBLIC=false (khi đó cần đăng nhập bằng tài khoản của tỉnh hoặc quản trị hệ thống)",
        parameters: [
          {
            name: "unit",
            in: "query",
            required: true,
            description: "Mã tỉnh, thành phố (2 chữ số), ví dụ 51",
            schema: { type: "string", pattern: "^\\d{2}$" },
          },
          dayParam("from", "Ngày bắt đầu kỳ (YYYY-MM-DD); mặc định 1/1 của năm"),
          dayParam("to", "Ngày kết thúc kỳ (YYYY-MM-DD); mặc định hôm nay"),
        ],
        responses: {
          "200": jsonResponse("Số liệu theo xã, phường", { $ref: "#/components/schemas/Rollup" }),
          "400": badQuery("Kỳ tổng hợp không hợp lệ: ngày kết thúc (2026-01-01) trước ngày bắt đầu (2026-03-01)."),
          "401": errorResponse(
            "ROLLUP_PUBLIC=false và chưa đăng nhập",
            "login_required",
            "Cần đăng nhập bằng tài khoản cấp tỉnh để xem số liệu tổng hợp.",
          ),
          "403": errorResponse(
            "ROLLUP_PUBLIC=false và tài khoản không thuộc tỉnh này",
            "forbidden",
            "Tài khoản này không xem được số liệu tổng hợp của tỉnh, thành phố này.",
          ),
        },
      },
    },
  },
  schemas: {
    RollupItem: {
      type: "object",
      properties: {
        ward: {
          type: "object",
          properties: {
            code: str,
            name: { type: "string", description: "Tên; đơn vị cũ bị chia có thêm “(trước sắp xếp)”" },
          },
          required: ["code", "name"],
        },
        planInForce: { ...nullableStr, description: "Số kế hoạch đang thực hiện vào cuối kỳ; null khi không có" },
        tasks: counts(["done", "total", "overdue"]),
        activities: { ...int, description: "Số hoạt động trong kỳ" },
        audience: { ...int, description: "Số người được tiếp cận" },
        spent: { ...int, description: "Kinh phí đã chi (đồng)" },
        feedback: counts(["received", "answeredOnTime", "overdue"]),
        satisfaction: { ...index, description: "Chỉ số hài lòng (0–100, một chữ số thập phân); null khi chưa có" },
      },
      required: ["ward", "planInForce", "tasks", "activities", "audience", "spent", "feedback", "satisfaction"],
    },
    Rollup: {
      type: "object",
      properties: {
        unit: { type: "object", properties: { code: str, name: str }, required: ["code", "name"] },
        period: { type: "object", properties: { from: date, to: date }, required: ["from", "to"] },
        total: int,
        items: { type: "array", items: { $ref: "#/components/schemas/RollupItem" } },
      },
      required: ["unit", "period", "total", "items"],
    },
  },
};
