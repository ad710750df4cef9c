/**
 * Every text answer over about a kilobyte goes gzipped to clients that take it (pages rendered on a miss or for
 * staff, JSON, stylesheets), with `Vary: Accept-Encoding`; stylesheets have content-hashed, immutable URLs and the
 * old plain URLs still answer. On every database.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const GZ = { "accept-encoding": "gzip, deflate, br" };
const unzip = async (res: Response) => gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");

for (const target of testDatabases()) {
  describe(`compression and static assets (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
      await w.createStaff("nenkhi", "coordinator", "office");
    });
    after(async () => w.cleanup());

    test("the OpenAPI document is gzipped for a client that takes gzip, plain otherwise, same content", async () => {
      const zipped = await w.app.request("/api/openapi.json", { headers: GZ });
      assert.equal(zipped.status, 200, "the document answers");
      assert.equal(zipped.headers.get("content-encoding"), "gzip", "gzipped");
      assert.match(zipped.headers.get("vary") ?? "", /Accept-Encoding/i, "Vary names Accept-Encoding");
      const unzipped = await unzip(zipped);
      const plain = await w.app.request("/api/openapi.json");
      assert.equal(plain.headers.get("content-encoding"), null, "plain without Accept-Encoding");
      assert.match(plain.headers.get("vary") ?? "", /Accept-Encoding/i, "Vary on the plain answer too");
      const text = await plain.text();
      assert.ok(text.length > 10_000, `the document is large (${text.length} characters)`);
      assert.equal(unzipped, text, "the same document either way");
      const refused = await w.app.request("/api/openapi.json", { headers: { "accept-encoding": "gzip;q=0, br" } });
      assert.equal(refused.headers.get("content-encoding"), null, "gzip;q=0 refuses gzip");
    });

    test("uncached pages (a form, a staff page) are gzipped; tiny answers are not", async () => {
      const form = await w.app.request("/gop-y", { headers: GZ });
      assert.equal(form.status, 200, "the feedback form answers");
      assert.equal(form.headers.get("content-encoding"), "gzip", "the form page is gzipped");
      assert.match(await unzip(form), /<form/, "and is the form");
      const staff = await logIn(w.app, "nenkhi", pw("nenkhi"));
      const home = await w.app.request("/quan-tri", { headers: { ...GZ, cookie: staff.cookie } });
      assert.equal(home.headers.get("content-encoding"), "gzip", "a staff page is gzipped");
      const health = await w.app.request("/healthz", { headers: GZ });
      assert.equal(health.headers.get("content-encoding"), null, "a few bytes of JSON are left as they are");
      assert.deepEqual(await health.json(), { status: "ok", db: w.db.dialect }, "and read as usual");
    });

    test("stylesheets are linked by content-hashed URLs, immutable; the plain URLs still answer", async () => {
      const hrefs = new Set<string>();
      for (const page of ["/", "/thu-tuc", "/gop-y"]) {
        const html = await (await w.app.request(page)).text();
        for (const m of html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) hrefs.add(m[1] as string);
      }
      assert.ok(hrefs.size >= 3, `the site's, the procedures' and the forms' stylesheets are linked: ${[...hrefs]}`);
      for (const href of hrefs) {
        assert.match(href, /\.[0-9a-f]{12}\.css$/, `${href} carries its content hash`);
        const res = await w.app.request(href, { headers: GZ });
        assert.equal(res.status, 200, `${href} answers`);
        assert.match(res.headers.get("cache-control") ?? "", /immutable/, `${href} is immutable`);
        assert.match(res.headers.get("cache-control") ?? "", /max-age=31536000/, `${href} is kept a year`);
        assert.match(res.headers.get("content-type") ?? "", /^text\/css/, `${href} is CSS`);
        const css = res.headers.get("content-encoding") === "gzip" ? await unzip(res) : await res.text();
        const plainUrl = href.replace(/\.[0-9a-f]{12}\.css$/, ".css");
        const old = await w.app.request(plainUrl);
        assert.equal(old.status, 200, `the old URL ${plainUrl} still answers`);
        assert.equal(await old.text(), css, `${plainUrl} serves the same stylesheet`);
        assert.doesNotMatch(old.headers.get("cache-control") ?? "", /immutable/, `${plainUrl} is not immutable`);
        const stale = await w.app.request(href.replace(/[0-9a-f]{12}\.css$/, "000000000000.css"));
        assert.equal(stale.status, 302, "an old hash is sent on");
        assert.equal(stale.headers.get("location"), href, "to the current URL");
        const etag = res.headers.get("etag") ?? "";
        assert.ok(etag, `${href} has an ETag`);
        const again = await w.app.request(href, { headers: { "if-none-match": etag } });
        assert.equal(again.status, 304, "a revalidation with the ETag gets 304");
      }
      const site = [...hrefs].find((h) => h.startsWith("/static/site."));
      assert.ok(site, "the site's stylesheet is among them");
      const zipped = await w.app.request(site, { headers: GZ });
      assert.equal(zipped.headers.get("content-encoding"), "gzip", "the site's stylesheet goes gzipped");
    });
  });
}
