import assert from "node:assert/strict";
import { test } from "node:test";
import { acceptsGzip } from "./page-cache.ts";

test("acceptsGzip reads Accept-Encoding as browsers and proxies send it", () => {
  for (const yes of ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "GZIP", "*", "deflate, gzip;q=0.5"])
    assert.equal(acceptsGzip(yes), true, yes);
  for (const no of [undefined, "", "identity", "br", "gzip;q=0", "deflate, gzip;q=0.0", "*;q=0"])
    assert.equal(acceptsGzip(no), false, String(no));
});
