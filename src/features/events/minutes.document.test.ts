/**
 * The minutes of a held event as a Decree 30 "BIÊN BẢN" (Phụ lục III, Mẫu 1.9), read back from the DOCX XML: the
 * ward's header with "Số: …/BB-UBND" and no date line, the title, the time, place, attendance by group, chair and
 * secretary, the three parts of the content, the closing time, the two signature blocks side by side (secretary on
 * the left, chair on the right) with "Nơi nhận:" below; text typed decomposed (NFD) comes out composed (NFC).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { documentXml, docxParagraphs as paragraphs } from "../../../test/helpers/docx.ts";
import { renderDocx } from "../../core/documents/docx-writer.ts";
import { attendanceLine, clockLine, minutesDocument } from "./minutes.document.ts";

const event = {
  kind: "residential",
  title: "Hội nghị tuyên truyền thủ tục đăng ký cư trú trực tuyến",
  place: "Nhà văn hóa tổ dân phố 4",
  starts_on: "2026-03-20",
  org_unit_name: "Đài truyền thanh phường",
  partners: ["Ủy ban MTTQ Việt Nam phường"],
  attendance: { officials: 8, members: 25, residents: 90 },
  attended: 123,
};
const minutes = {
  started_at: "08:05",
  ended_at: "10:40",
  chair_name: "Nguyễn Văn An".normalize("NFD"),
  chair_title: "Phó Chủ tịch UBND phường",
  secretary_name: "Trần Thị Bích",
  secretary_title: "Công chức Văn phòng - Thống kê",
  attendees: "- Đại diện Đảng ủy, UBND phường\n- Ban công tác Mặt trận tổ dân phố 4",
  agenda: "Đồng chí chủ trì quán triệt mục đích buổi sinh hoạt.\n- Hướng dẫn đăng ký thường trú trực tuyến".normalize(
    "NFD",
  ),
  opinions: "Người dân đề nghị bố trí cán bộ hỗ trợ tại nhà văn hóa.",
  conclusions: "Giao Đài truyền thanh phát lại nội dung hướng dẫn trong tháng 4.",
};

describe("the minutes of an event as a DOCX", async () => {
  const doc = minutesDocument({ name: "Phường Đức Phổ", place: "Đức Phổ" }, event, minutes);
  const xml = await documentXml(await renderDocx(doc));
  const lines = paragraphs(xml);
  const index = (text: string) => lines.findIndex((l) => l.includes(text));

  test("the ward's header, the number left to the register, no date line", () => {
    assert.ok(lines.includes("ỦY BAN NHÂN DÂN"), "the issuing body");
    assert.ok(lines.includes("PHƯỜNG ĐỨC PHỔ"), "the ward, upper case");
    assert.ok(
      lines.some((l) => /^Số:\s+\/BB-UBND$/.test(l)),
      "a biên bản's number is left blank for the register",
    );
    assert.ok(lines.includes("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "the national title");
    assert.equal(
      lines.filter((l) => /ngày .* tháng .* năm/.test(l) && l.startsWith("Đức Phổ")).length,
      0,
      "no place and date line under the motto (Mẫu 1.9)",
    );
  });

  test("type and summary, then what a real biên bản records, in order", () => {
    assert.ok(lines.includes("BIÊN BẢN"), "the type");
    assert.ok(lines.includes(event.title), "the summary is the event's name");
    const order = [
      "Thời gian bắt đầu: 08 giờ 05 phút, ngày 20 tháng 3 năm 2026.",
      "Địa điểm: Nhà văn hóa tổ dân phố 4.",
      "Đơn vị tổ chức: Đài truyền thanh phường; phối hợp: Ủy ban MTTQ Việt Nam phường.",
      "Thành phần tham dự: Đại diện Đảng ủy, UBND phường; Ban công tác Mặt trận tổ dân phố 4.",
      "Tổng số người tham dự: 123 người (Cán bộ, công chức: 8; Hội viên, đoàn viên: 25; Người dân: 90).",
      "Chủ trì: Nguyễn Văn An, Phó Chủ tịch UBND phường.",
      "Thư ký (người ghi biên bản): Trần Thị Bích, Công chức Văn phòng - Thống kê.",
      "1. Nội dung, diễn biến",
      "Đồng chí chủ trì quán triệt mục đích buổi sinh hoạt.",
      "- Hướng dẫn đăng ký thường trú trực tuyến",
      "2. Ý kiến phát biểu",
      "Người dân đề nghị bố trí cán bộ hỗ trợ tại nhà văn hóa.",
      "3. Kết luận của người chủ trì",
      "Giao Đài truyền thanh phát lại nội dung hướng dẫn trong tháng 4.",
      "Buổi sinh hoạt kết thúc vào 10 giờ 40 phút, ngày 20 tháng 3 năm 2026, biên bản đã được thông qua./.",
    ];
    let last = -1;
    for (const text of order) {
      const at = lines.findIndex((l, i) => i > last && l === text);
      assert.ok(at > last, `“${text}” comes next (paragraphs: ${JSON.stringify(lines.slice(last + 1, last + 4))})`);
      last = at;
    }
  });

  test("two signature blocks side by side, secretary left and chair right, then “Nơi nhận:”", () => {
    const table = [...xml.matchAll(/<w:tbl>.*?<\/w:tbl>/gs)].map((m) => m[0]).find((t) => t.includes("THƯ KÝ"));
    assert.ok(table, "the signatures are laid out in a table");
    const cells = [...table.matchAll(/<w:tc>.*?<\/w:tc>/gs)].map((m) => paragraphs(m[0]).join("|"));
    assert.equal(cells.length, 2, "two columns");
    assert.match(cells[0] ?? "", /^THƯ KÝ\|.*Trần Thị Bích$/, "the secretary signs on the left");
    assert.match(cells[1] ?? "", /^CHỦ TRÌ\|.*Nguyễn Văn An$/, "the chair signs on the right");
    assert.ok(index("Nơi nhận:") > index("CHỦ TRÌ"), "the distribution comes below the signatures");
    assert.ok(lines.includes("- Lưu: VT, hồ sơ."), "kept in the records");
  });

  test("Vietnamese typed decomposed comes out composed", () => {
    assert.ok(xml.includes("Nguyễn Văn An"), "the chair's name in NFC");
    assert.ok(!xml.includes("Nguyễn Văn An".normalize("NFD")), "no decomposed text");
    assert.ok(xml.includes("Hướng dẫn đăng ký"), "the content in NFC");
  });
});

describe("minutes' wording", () => {
  test("times and dates as a biên bản writes them", () => {
    assert.equal(clockLine("08:05", "2026-02-03"), "08 giờ 05 phút, ngày 03 tháng 02 năm 2026");
    assert.equal(clockLine("14:30", "2026-11-21"), "14 giờ 30 phút, ngày 21 tháng 11 năm 2026");
  });

  test("attendance by group, only the groups present; none when not counted", () => {
    assert.equal(attendanceLine({ residents: 1500, others: 0 }, 1500), "1.500 người (Người dân: 1.500)");
    assert.equal(attendanceLine(null, null), null);
  });

  test("a meeting without opinions says so; a conference closes as a conference", () => {
    const doc = minutesDocument(
      { name: "Phường Đức Phổ", place: "Đức Phổ" },
      { ...event, kind: "conference", partners: [], attendance: null, attended: null },
      { ...minutes, attendees: "", opinions: "" },
    );
    const texts = doc.body.map((b) => ("text" in b ? b.text : ""));
    assert.ok(texts.includes("Không có ý kiến khác."), "no opinions raised");
    assert.ok(
      texts.some((t) => t.startsWith("Hội nghị kết thúc vào 10 giờ 40 phút")),
      "the closing line names a conference",
    );
    assert.ok(!texts.some((t) => t.startsWith("Thành phần tham dự")), "no empty attendance line");
    assert.ok(texts.includes("Đơn vị tổ chức: Đài truyền thanh phường."), "no partners");
  });
});
