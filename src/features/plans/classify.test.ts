import assert from "node:assert/strict";
import { test } from "node:test";
import { channelKindOf, pillarOf } from "./classify.ts";

test("pillarOf maps content-area titles to the six pillars", () => {
  assert.equal(pillarOf("Về cải cách thể chế"), "institutions");
  assert.equal(pillarOf("Về cải cách thủ tục hành chính:"), "procedures");
  assert.equal(pillarOf("Về xây dựng tổ chức bộ máy hành chính Nhà nước"), "apparatus");
  assert.equal(pillarOf("Nâng cao chất lượng đội ngũ cán bộ, công chức"), "civil_service");
  assert.equal(pillarOf("Cải cách chế độ công vụ"), "civil_service");
  assert.equal(pillarOf("Về cải cách tài chính công"), "public_finance");
  assert.equal(pillarOf("Về hiện đại hóa hành chính"), "e_government");
  assert.equal(pillarOf("Xây dựng Chính phủ điện tử, Chính phủ số"), "e_government");
  assert.equal(pillarOf("Đẩy mạnh chuyển đổi số"), "e_government");
});

test("pillarOf reads NFD text, capitals and the old spelling “hoá” alike", () => {
  assert.equal(pillarOf("VỀ CẢI CÁCH THỂ CHẾ".normalize("NFD")), "institutions");
  assert.equal(pillarOf("Về hiện đại hoá hành chính"), "e_government");
});

test("pillarOf returns null when nothing matches", () => {
  assert.equal(pillarOf("Nội dung khác"), null);
  assert.equal(pillarOf(""), null);
});

test("channelKindOf: the seed's four channels", () => {
  assert.equal(
    channelKindOf(
      "Thông qua các phương tiện thông tin đại chúng: Đài truyền thanh phường, các bản tin phát sóng định kỳ trên đài truyền thanh thị xã Đức Phổ.",
    ),
    "radio",
  );
  assert.equal(
    channelKindOf(
      "Thường xuyên công khai, cập nhật thủ tục hành chính được sửa đổi, bổ sung, thay thế trên bảng niêm yết công khai bộ thủ tục hành chính tại trụ sở UBND xã, Đài truyền thanh phường.",
    ),
    "notice_board",
  );
  // "hội nghị" comes before "sinh hoạt … cộng đồng": the first keyword decides.
  assert.equal(
    channelKindOf(
      "Tổ chức tuyên truyền về công tác cải cách thủ tục hành chính thông qua các hội nghị, sinh hoạt của các hội đoàn thể và sinh hoạt cộng đồng tại khu dân cư.",
    ),
    "conference",
  );
  assert.equal(
    channelKindOf(
      "Lồng ghép nội dung cải cách hành chính trong các cuộc họp, hội nghị tuyên truyền, phổ biến, giáo dục pháp luật.",
    ),
    "meeting_integration",
  );
});

test("channelKindOf: other kinds", () => {
  assert.equal(channelKindOf("Sinh hoạt cộng đồng tại khu dân cư, hội nghị thôn"), "community_meeting");
  assert.equal(channelKindOf("Treo băng rôn, pa nô, áp phích tại trụ sở"), "banner_poster");
  assert.equal(channelKindOf("Đăng tải trên Trang thông tin điện tử của phường"), "web_portal");
  assert.equal(channelKindOf("Cổng Dịch vụ công quốc gia"), "web_portal");
  assert.equal(channelKindOf("Chia sẻ qua nhóm Zalo, Facebook của tổ dân phố"), "social_media");
  assert.equal(channelKindOf("Đưa tin trên báo Quảng Ngãi"), "press");
  assert.equal(channelKindOf("Các phương tiện thông tin đại chúng"), "press");
  assert.equal(channelKindOf("Khảo sát, đo lường sự hài lòng của người dân"), "survey");
  assert.equal(channelKindOf("Giải đáp, hỏi đáp về thủ tục hành chính"), "feedback_answer");
  assert.equal(channelKindOf("Phát thanh trên hệ thống loa của phường".normalize("NFD")), "radio");
});

test("channelKindOf: “báo cáo” and “thông báo” are not the press; nothing known is other", () => {
  assert.equal(channelKindOf("Báo cáo kết quả định kỳ"), "other");
  assert.equal(channelKindOf("Ra thông báo cho người dân"), "other");
  assert.equal(channelKindOf("Các hình thức phù hợp khác"), "other");
});
