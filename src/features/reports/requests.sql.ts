/** Every query of report requests: a province's requests to its wards, the wards asked, and the reports answering. */
import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database, ReportRequestTable } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const insertRequest = async (db: Q, row: Insertable<ReportRequestTable>) =>
  (await db.insertInto("report_requests").values(row).returning("id").executeTakeFirstOrThrow()).id;

export const insertRequestWards = (db: Q, requestId: number, wardIds: number[]) =>
  db
    .insertInto("report_request_wards")
    .values(wardIds.map((ward_id) => ({ request_id: requestId, ward_id })))
    .execute();

/** A province's requests, the latest deadline first, with how many wards each asked. */
export const requestsOfProvince = (db: Q, provinceId: number) =>
  db
    .selectFrom("report_requests")
    .selectAll("report_requests")
    .select((eb) =>
      eb
        .selectFrom("report_request_wards")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("report_request_wards.request_id", "=", "report_requests.id")
        .as("ward_count"),
    )
    .where("province_id", "=", provinceId)
    .orderBy("deadline", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();

/** One request, only if the province made it. */
export const requestOfProvince = (db: Q, provinceId: number, id: number) =>
  db
    .selectFrom("report_requests")
    .selectAll()
    .where("id", "=", id)
    .where("province_id", "=", provinceId)
    .executeTakeFirst();

/** The wards a request asked, with their names. */
export const wardsAsked = (db: Q, requestId: number) =>
  db
    .selectFrom("report_request_wards")
    .innerJoin("admin_units", "admin_units.id", "report_request_wards.ward_id")
    .select(["admin_units.id", "admin_units.code", "admin_units.name"])
    .where("report_request_wards.request_id", "=", requestId)
    .orderBy("admin_units.name_key")
    .execute();

/** The reports answering a request (any ward, any status). */
export const reportsAnswering = (db: Q, requestIds: number[]) =>
  requestIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom("reports")
        .select(["id", "ward_id", "request_id", "status", "number", "symbol", "issued_on"])
        .where("request_id", "in", requestIds)
        .execute();

/** The requests a ward was asked, the latest deadline first. */
export const requestsToWard = (db: Q, wardId: number) =>
  db
    .selectFrom("report_requests")
    .innerJoin("report_request_wards", "report_request_wards.request_id", "report_requests.id")
    .innerJoin("admin_units", "admin_units.id", "report_requests.province_id")
    .leftJoin("org_units", "org_units.id", "report_requests.org_unit_id")
    .selectAll("report_requests")
    .select(["admin_units.name as province_name", "org_units.name as department_name"])
    .where("report_request_wards.ward_id", "=", wardId)
    .orderBy("report_requests.deadline", "desc")
    .orderBy("report_requests.id", "desc")
    .limit(100)
    .execute();

/** One request, only if it asked this ward. */
export const requestToWard = (db: Q, wardId: number, id: number) =>
  db
    .selectFrom("report_requests")
    .innerJoin("report_request_wards", "report_request_wards.request_id", "report_requests.id")
    .selectAll("report_requests")
    .where("report_requests.id", "=", id)
    .where("report_request_wards.ward_id", "=", wardId)
    .executeTakeFirst();
