/**
 * Where a ward stands on a province's report request: issued by the deadline, issued after it, not issued yet, or
 * not issued and past the deadline. Only an issued report answers a request (a draft is the ward's own work). Pure.
 */

export type RequestWardStatus = "issued" | "issued_late" | "pending" | "overdue";

export const REQUEST_WARD_STATUSES: Record<RequestWardStatus, string> = {
  issued: "Đã ban hành đúng hạn",
  issued_late: "Ban hành sau hạn",
  pending: "Chưa ban hành",
  overdue: "Quá hạn, chưa ban hành",
};

/** The status of one ward: its reports answering the request (any status), the deadline and today (YYYY-MM-DD). */
export function requestWardStatus(
  reports: readonly { status: string; issued_on: string | null }[],
  deadline: string,
  today: string,
): RequestWardStatus {
  const issued = reports
    .filter((r) => r.status === "issued" && r.issued_on)
    .map((r) => r.issued_on as string)
    .sort()[0];
  if (issued) return issued <= deadline ? "issued" : "issued_late";
  return today > deadline ? "overdue" : "pending";
}

/** How many wards are in each status. */
export function countStatuses(statuses: readonly RequestWardStatus[]): Record<RequestWardStatus, number> {
  const out: Record<RequestWardStatus, number> = { issued: 0, issued_late: 0, pending: 0, overdue: 0 };
  for (const s of statuses) out[s]++;
  return out;
}
