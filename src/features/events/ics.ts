/**
 * iCalendar (RFC 5545) for the public events feed: a VCALENDAR of VEVENTs with times in UTC (Vietnam has no
 * daylight saving, so 08:00 in Hà Nội is 01:00Z every day of the year), text escaped (backslash, semicolon, comma,
 * newline) and lines folded at 75 octets without splitting a UTF-8 character, CRLF line ends. Pure.
 */

export interface IcsEvent {
  uid: string;
  /** Vietnam local date (ISO) and times "HH:MM". */
  date: string;
  start: string;
  end: string;
  summary: string;
  location: string;
  description: string;
  url: string | null;
  status: "CONFIRMED" | "CANCELLED";
  /** When the event was last changed (ISO instant): calendars keep the latest SEQUENCE/DTSTAMP. */
  updatedAt: string;
  sequence: number;
}

const VN_OFFSET_HOURS = 7;

/** "2024-03-20" + "08:00" (Vietnam) → "20240320T010000Z". */
export function vnLocalToUtcStamp(date: string, time: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return utcStamp(new Date(Date.UTC(y, m - 1, d, hh - VN_OFFSET_HOURS, mm)).toISOString());
}

/** An ISO instant → "YYYYMMDDTHHMMSSZ". */
export const utcStamp = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, "")}Z`;

/** TEXT value escaping (RFC 5545 §3.3.11). */
export const escapeText = (s: string) =>
  s.normalize("NFC").replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");

/** Fold a content line at 75 octets (§3.1): continuation lines start with one space; characters stay whole. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    const limit = out.length === 0 ? 75 : 74; // continuation lines carry the leading space
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

export function icsCalendar(opts: { name: string; prodId: string; now: string; events: IcsEvent[] }): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${opts.prodId}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(opts.name)}`,
    "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
  ];
  for (const e of opts.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(opts.now)}`,
      `LAST-MODIFIED:${utcStamp(e.updatedAt)}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTART:${vnLocalToUtcStamp(e.date, e.start)}`,
      `DTEND:${vnLocalToUtcStamp(e.date, e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `LOCATION:${escapeText(e.location)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      ...(e.url ? [`URL:${e.url}`] : []),
      `STATUS:${e.status}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
