import assert from "node:assert/strict";
import { test } from "node:test";
import ICAL from "ical.js";
import { escapeText, foldLine, icsCalendar, vnLocalToUtcStamp } from "./ics.ts";

test("Vietnam local time becomes UTC (no daylight saving): 08:00 on 20/03/2024 is 01:00Z, 06:30 on 1 Jan is the day before", () => {
  assert.equal(vnLocalToUtcStamp("2024-03-20", "08:00"), "20240320T010000Z");
  assert.equal(vnLocalToUtcStamp("2024-01-01", "06:30"), "20231231T233000Z");
});

test("text is escaped and long lines folded at 75 octets without splitting a Vietnamese character", () => {
  assert.equal(
    escapeText("Hội nghị; tập huấn, CCHC\\ngày 2\nDòng 2"),
    "Hội nghị\\; tập huấn\\, CCHC\\\\ngày 2\\nDòng 2",
  );
  const line = `SUMMARY:${"Hội nghị tuyên truyền cải cách hành chính ".repeat(5)}`;
  const folded = foldLine(line);
  const parts = folded.split("\r\n");
  assert.ok(parts.length > 1, "the long line is folded");
  for (const p of parts) assert.ok(Buffer.byteLength(p, "utf8") <= 75, `each physical line ≤ 75 octets: ${p}`);
  assert.equal(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join(""), line, "unfolding gives the line back");
  for (const p of parts) assert.ok(!p.includes("\uFFFD"), "no character cut in half");
});

test("the calendar parses with ical.js: events, cancelled ones, Vietnamese text intact; an empty calendar is valid too", () => {
  const text = icsCalendar({
    name: "Sự kiện · Phường Đức Phổ",
    prodId: "-//CCHC//VI",
    now: "2024-03-01T00:00:00.000Z",
    events: [
      {
        uid: "su-kien-1@21439.cchc",
        date: "2024-03-20",
        start: "08:00",
        end: "10:30",
        summary: "Hội nghị tuyên truyền, phổ biến Luật Cư trú; thủ tục đăng ký thường trú",
        location: "Hội trường UBND phường Đức Phổ",
        description: "Hội nghị.\nĐơn vị tổ chức: Công an phường.",
        url: "https://cchc.example.vn/su-kien/1",
        status: "CONFIRMED",
        updatedAt: "2024-03-01T02:00:00.000Z",
        sequence: 0,
      },
      {
        uid: "su-kien-2@21439.cchc",
        date: "2024-03-22",
        start: "19:30",
        end: "21:00",
        summary: "Sinh hoạt tổ dân phố 4",
        location: "Nhà văn hóa tổ dân phố 4",
        description: "",
        url: null,
        status: "CANCELLED",
        updatedAt: "2024-03-02T02:00:00.000Z",
        sequence: 1,
      },
    ],
  });
  assert.ok(text.endsWith("\r\n"), "CRLF line ends");
  assert.ok(!/[^\r]\n/.test(text), "every line ends with CRLF");
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
  assert.equal(events.length, 2);
  const [first, second] = events as [ICAL.Event, ICAL.Event];
  assert.equal(first.summary, "Hội nghị tuyên truyền, phổ biến Luật Cư trú; thủ tục đăng ký thường trú");
  assert.equal(first.location, "Hội trường UBND phường Đức Phổ");
  assert.equal(first.description, "Hội nghị.\nĐơn vị tổ chức: Công an phường.");
  assert.equal(first.startDate.toJSDate().toISOString(), "2024-03-20T01:00:00.000Z");
  assert.equal(first.endDate.toJSDate().toISOString(), "2024-03-20T03:30:00.000Z");
  assert.equal(second.component.getFirstPropertyValue("status"), "CANCELLED");
  assert.equal(second.sequence, 1);

  const empty = new ICAL.Component(
    ICAL.parse(icsCalendar({ name: "Trống", prodId: "-//CCHC//VI", now: "2024-03-01T00:00:00.000Z", events: [] })),
  );
  assert.equal(empty.name, "vcalendar");
  assert.equal(empty.getAllSubcomponents("vevent").length, 0);
});
