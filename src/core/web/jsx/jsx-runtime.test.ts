import assert from "node:assert/strict";
import { test } from "node:test";
import { html, raw } from "hono/html";
import { Fragment as HonoFragment, jsx as honoJsx } from "hono/jsx";
import { Fragment, jsx } from "./jsx-runtime.ts";

/**
 * The same tree built through Hono's JSX and through ours, as the compiler builds it (`h(tag, props, ...children)`
 * in the automatic runtime's shape: one child as itself, several as a list, the key apart), rendered to strings.
 */
type H = (tag: unknown, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;
type Frag = unknown;
const ours: H = (tag, props, ...children) => {
  // The compiler gives `key` apart from the props.
  const { key, ...rest } = props ?? {};
  const given = children.length === 0 ? rest : { ...rest, children: children.length === 1 ? children[0] : children };
  return jsx(tag as never, given, key);
};
const hono: H = (tag, props, ...children) => honoJsx(tag as never, props ?? {}, ...(children as never[]));

async function both(tree: (h: H, fragment: Frag) => unknown): Promise<{ ours: string; hono: string }> {
  return {
    ours: String(await (tree(ours, Fragment) as Promise<unknown>)),
    hono: String(await (tree(hono, HonoFragment) as { toString(): unknown }).toString()),
  };
}

async function assertSame(name: string, tree: (h: H, fragment: Frag) => unknown) {
  const r = await both(tree);
  assert.equal(r.ours, r.hono, `${name}: our markup differs from Hono's`);
  return r.ours;
}

test("elements, text and attributes are written as Hono writes them", async () => {
  const out = await assertSame("page", (h) =>
    h(
      "main",
      { className: "card", id: "x", "aria-hidden": true, "data-n": 0, title: `a "b" <c> & 'd'`, hidden: false },
      h("h1", null, "Đăng ký khai sinh <b> & 'trẻ' \"em\""),
      h("label", { htmlFor: "q" }, "Tìm"),
      h("input", { type: "search", id: "q", name: "q", maxlength: 200, required: true, disabled: false }),
      h("br", null),
      h("p", null, 0, " ", null, false, undefined, true, 12.5, [["a", null], ["b"]]),
      h(
        "ul",
        null,
        [1, 2].map((n) => h("li", { key: n }, `mục ${n}`)),
      ),
      h("div", { dangerouslySetInnerHTML: { __html: "<i>đã xử lý</i>" } }),
      h("a", { href: raw("/x?a=1&amp;b=2"), onClick: () => 1 }, raw("<em>raw</em>")),
      h("p", null, html`<span>${"<tách>"}</span>`),
      h("textarea", { rows: 3 }, ""),
    ),
  );
  assert.ok(out.includes("&lt;b&gt; &amp; &#39;trẻ&#39; &quot;em&quot;"), `text is escaped: ${out}`);
  assert.ok(out.includes(`<input type="search" id="q" name="q" maxlength="200" required=""/>`), `void element: ${out}`);
  assert.ok(out.includes(`aria-hidden="true"`), `a non-boolean attribute is written as text: ${out}`);
});

test("SVG attributes, components, fragments and async parts are written as Hono writes them", async () => {
  const Bar = (p: { label: string; children?: unknown }) => ours("g", null, ours("title", null, p.label), p.children);
  const HonoBar = (p: { label: string; children?: unknown }) =>
    hono("g", null, hono("title", null, p.label), p.children);
  await assertSame("svg", (h) =>
    h(
      "svg",
      { viewBox: "0 0 10 10", role: "img", "aria-label": "biểu đồ" },
      h(
        h === ours ? Bar : HonoBar,
        { label: "Cột <1>" },
        h("rect", { x: 0, y: 0, width: 5, height: 2, strokeWidth: 2 }),
      ),
      h("text", { x: 1, y: 2, textAnchor: "end", fontSize: 3 }, "5 %"),
    ),
  );
  const Plain = (p: { n: number }) => (p.n === 0 ? null : p.n === 1 ? "văn bản & chữ" : p.n === 2 ? 42 : ["a", "<b>"]);
  const Later = async (p: { text: string }) => {
    await new Promise((r) => setImmediate(r));
    return ours("em", null, p.text);
  };
  const HonoLater = async (p: { text: string }) => {
    await new Promise((r) => setImmediate(r));
    return hono("em", null, p.text);
  };
  const out = await assertSame("components", (h, fragment) =>
    h(
      "section",
      null,
      [0, 1, 2, 3].map((n) => h(Plain, { n })),
      h(fragment, null, h("b", null, "một"), h("b", null, "hai")),
      h("p", null, "trước ", h(h === ours ? Later : HonoLater, { text: "sau <khi>" }), " cuối"),
    ),
  );
  assert.ok(out.includes("<p>trước <em>sau &lt;khi&gt;</em> cuối</p>"), `an async part is awaited in place: ${out}`);
});

test("a function given as an attribute that is no event handler is refused, as Hono refuses it", () => {
  assert.throws(() => jsx("a", { href: () => "/" }), /Invalid prop 'href'/, "a function as href is a mistake");
});
