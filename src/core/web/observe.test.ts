import assert from "node:assert/strict";
import { test } from "node:test";
import { newRequestId, routeLabel, saneRequestId, UNMATCHED_ROUTE } from "./observe.ts";

test("a sane incoming request id is a token of letters, digits and -_.: up to 128 characters", () => {
  for (const ok of ["0f1e2d3c4b5a69788796a5b4c3d2e1f0", "abc-DEF_1.2:3", "x".repeat(128)])
    assert.equal(saneRequestId(ok), ok, `kept: ${ok.slice(0, 20)}`);
  for (const bad of [undefined, "", "x".repeat(129), "a b", "a\nb", 'a"b', "ý", "a/b", "{}"])
    assert.equal(saneRequestId(bad), null, `refused: ${JSON.stringify(bad)?.slice(0, 20)}`);
});

test("a new request id is 32 hex digits, different each time", () => {
  const a = newRequestId();
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(newRequestId(), a, "a fresh one each time");
  // Drawn from a pool of random bytes refilled every 256 ids: across several refills, still all different.
  const ids = new Set(Array.from({ length: 2000 }, newRequestId));
  assert.equal(ids.size, 2000, "2,000 ids, all different");
  assert.ok(
    [...ids].every((id) => /^[0-9a-f]{32}$/.test(id)),
    "each 32 hex digits",
  );
});

test("the route label: the handler reached; else the first route the request would reach; else one label for all", () => {
  const matched = [
    { method: "ALL", path: "*" },
    { method: "ALL", path: "/tin-tuc/*" },
    { method: "GET", path: "/tin-tuc/:id{[0-9]+}" },
    { method: "GET", path: "/tin-tuc/:id{[0-9]+}" },
  ];
  assert.equal(routeLabel(matched, 3), "/tin-tuc/:id{[0-9]+}", "the handler that answered");
  assert.equal(routeLabel(matched, 1), "/tin-tuc/:id{[0-9]+}", "a middleware answered (the cache): its route");
  assert.equal(routeLabel(matched.slice(0, 2), 1), UNMATCHED_ROUTE, "no route: the one unmatched label");
  assert.equal(routeLabel([], 0), UNMATCHED_ROUTE, "nothing matched at all");
});
