/** An RSS 2.0 feed of articles. Pure: the caller gives absolute links. */

export interface FeedItem {
  title: string;
  link: string;
  description: string;
  category: string;
  /** ISO instant. */
  publishedAt: string;
}

/** Whether XML 1.0 allows a character at all, even escaped (no control characters but tab and line ends). */
const allowedInXml = (ch: string) => {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && c !== 0xfffe && c !== 0xffff;
};

export const xmlEscape = (s: string) =>
  [...s]
    .filter(allowedInXml)
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

/** RFC 822 date, as RSS 2.0 wants ("Mon, 02 Mar 2026 03:00:00 GMT"). */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

export function rssFeed(feed: {
  title: string;
  link: string;
  self: string;
  description: string;
  now: string;
  items: FeedItem[];
}): string {
  const el = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;
  const items = feed.items.map(
    (i) =>
      `<item>${el("title", i.title)}${el("link", i.link)}<guid isPermaLink="true">${xmlEscape(i.link)}</guid>${el("pubDate", rfc822(i.publishedAt))}${el("category", i.category)}${el("description", i.description)}</item>`,
  );
  const built = feed.items[0]?.publishedAt ?? feed.now;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>${el("title", feed.title)}${el("link", feed.link)}${el("description", feed.description)}<language>vi</language>${el("lastBuildDate", rfc822(built))}<atom:link href="${xmlEscape(feed.self)}" rel="self" type="application/rss+xml"/>
${items.join("\n")}
</channel></rss>
`;
}
