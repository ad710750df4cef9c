/**
 * The safe subset of Markdown staff write articles in: markdown-it with raw HTML off (any `<tag>` typed is shown as
 * text, escaped), links only to http(s) addresses (a `javascript:`, `data:` or relative link stays plain text), no
 * images from elsewhere (photos are uploaded, re-encoded and carry alt text), and every link opened without handing
 * the reader's page to the target (`rel="noopener nofollow"`). What comes out is safe to put in a page as HTML.
 */
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
md.disable(["image", "html_block", "html_inline"]);
md.validateLink = (url: string) => /^https?:\/\/[^\s]+$/i.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet("rel", "noopener nofollow");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Markdown → HTML safe to embed (see the header). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** Markdown → plain text (for feeds, search and previews): the rendered text without its tags and entities. */
export function markdownText(text: string): string {
  return renderMarkdown(text)
    .replace(/<\/(p|h[1-6]|li|blockquote|pre)>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{2,}/g, "\n")
    .trim();
}
