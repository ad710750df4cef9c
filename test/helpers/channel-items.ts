/**
 * One item of each channel, made the way staff make them over HTTP: an event announced for next week, an article
 * corrected once (two versions) and published, two decisions of the library (the newer replacing the older), a radio
 * bulletin for today; each drafted by the office for the radio unit, reviewed and approved by the leader. Shared by
 * the walks that need every channel's pages (test/e2e/pages-a11y.test.ts, test/query-plans.pg.test.ts).
 */
import assert from "node:assert/strict";
import type { Kysely } from "kysely";
import type { Database } from "../../src/core/db/schema.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import type { Browser } from "./env.ts";

export async function publishChannelItems(opts: {
  kysely: Kysely<Database>;
  coordinator: Browser;
  leader: Browser;
  radioUnitId: number;
  now: Date;
}): Promise<{ event: number; article: number; document: number; olderDocument: number; bulletin: number }> {
  const { kysely: k, coordinator, leader, now } = opts;
  const radio = String(opts.radioUnitId);
  const step = async (b: Browser, p: string, form: Record<string, string> = {}) => {
    const res = await b.post(p, form);
    assert.equal(res.status, 303, `${p}: ${res.status} ${res.status === 303 ? "" : await res.text()}`);
  };
  const lastId = async (table: "events" | "news_articles" | "legal_documents" | "radio_bulletins") =>
    Number((await k.selectFrom(table).select("id").orderBy("id", "desc").executeTakeFirstOrThrow()).id);

  const next = new Date(now.getTime() + 7 * 86_400_000);
  await step(coordinator, "/quan-tri/su-kien/moi", {
    title: "Hội nghị tuyên truyền dịch vụ công trực tuyến toàn trình",
    kind: "conference",
    orgUnitId: radio,
    place: "Hội trường Ủy ban nhân dân phường",
    startsOn: vnToday(next),
    startsAt: "08:00",
    endsAt: "10:30",
    partners: "Ủy ban MTTQ Việt Nam phường",
    expectedAudience: "80",
    description: "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công quốc gia.",
  });
  const event = await lastId("events");
  await step(coordinator, `/quan-tri/su-kien/${event}/trinh`);
  await step(coordinator, `/quan-tri/su-kien/${event}/xem-xet`);
  await step(leader, `/quan-tri/su-kien/${event}/duyet`);

  const article = {
    kind: "model",
    title: "Mô hình “Tổ dân phố không giấy tờ” ở tổ dân phố 3",
    summary: "Tổ dân phố 3 hướng dẫn các hộ nộp hồ sơ trực tuyến, không cần đến trụ sở phường.",
    body: "Từ đầu năm, tổ dân phố 3 lập nhóm hỗ trợ.\n\n## Kết quả\n\n- 120 hồ sơ nộp trực tuyến\n- [Cổng dịch vụ công](https://dichvucong.gov.vn)",
    orgUnitId: radio,
  };
  await step(coordinator, "/quan-tri/tin-tuc/moi", article);
  const articleId = await lastId("news_articles");
  await step(coordinator, `/quan-tri/tin-tuc/${articleId}/sua`, {
    ...article,
    body: `${article.body}\n\nSẽ nhân rộng.`,
  });
  await step(coordinator, `/quan-tri/tin-tuc/${articleId}/trinh`);
  await step(coordinator, `/quan-tri/tin-tuc/${articleId}/xem-xet`);
  await step(leader, `/quan-tri/tin-tuc/${articleId}/duyet`, { publishAt: "" });

  const entry = async (number: string, issuedOn: string, title: string) => {
    await step(coordinator, "/quan-tri/van-ban/moi", {
      kind: "Quyết định",
      number,
      issuer: "UBND phường Đức Phổ",
      title,
      issuedOn,
      effectiveFrom: issuedOn,
      officialUrl: "https://vbpl.vn/van-ban/chi-tiet/quyet-dinh--1",
    });
    return lastId("legal_documents");
  };
  const olderDocument = await entry(
    "08/QĐ-UBND",
    "11/01/2022",
    "Ban hành Kế hoạch nâng cao Chỉ số cải cách hành chính",
  );
  const document = await entry("181/QĐ-UBND", "29/12/2023", "Ban hành Kế hoạch cải cách hành chính năm 2024");
  await step(coordinator, `/quan-tri/van-ban/${document}/quan-he`, {
    relation: "replaces",
    otherId: String(olderDocument),
  });

  await step(coordinator, "/quan-tri/phat-thanh/moi", {
    title: "Bản tin cải cách hành chính buổi sáng",
    orgUnitId: radio,
    broadcastOn: vnToday(now).split("-").reverse().join("/"),
    slot: "morning",
    item1Title: "Dịch vụ công trực tuyến toàn trình",
    item1Script: "Từ ngày 01/3/2026, UBND phường tiếp nhận hồ sơ TTHC trực tuyến toàn trình trên Cổng dịch vụ công.",
  });
  const bulletin = await lastId("radio_bulletins");
  await step(coordinator, `/quan-tri/phat-thanh/${bulletin}/trinh`);
  await step(coordinator, `/quan-tri/phat-thanh/${bulletin}/xem-xet`);
  await step(leader, `/quan-tri/phat-thanh/${bulletin}/duyet`);
  return { event, article: articleId, document, olderDocument, bulletin };
}
