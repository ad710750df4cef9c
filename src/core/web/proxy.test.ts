import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { forwardedClient, lastForwardedValue, parseTrustProxy, type TrustProxy } from "./proxy.ts";

const trustOf = (v: string): TrustProxy => {
  const r = parseTrustProxy(v);
  if (!r.ok) throw new Error(r.problem);
  return r.trust;
};

describe("TRUST_PROXY values", () => {
  test("off, the old true/1 (one proxy), hop counts, and address lists", () => {
    assert.equal(trustOf("false"), false);
    assert.equal(trustOf("0"), false);
    assert.equal(trustOf(""), false);
    assert.deepEqual(trustOf("true"), { hops: 1 });
    assert.deepEqual(trustOf("1"), { hops: 1 });
    assert.deepEqual(trustOf("2"), { hops: 2 });
    assert.deepEqual(trustOf("10.0.0.5, 192.168.0.0/16,::1"), {
      addresses: ["10.0.0.5/32", "192.168.0.0/16", "::1/128"],
    });
    assert.deepEqual(trustOf("loopback"), { addresses: ["127.0.0.1/8", "::1/128"] });
  });

  test("values it cannot read are refused in Vietnamese", () => {
    for (const bad of ["yes", "10.0.0.0/33", "10.0.0.1/8/2", "300.1.1.1", "11"]) {
      const r = parseTrustProxy(bad);
      assert.equal(r.ok, false, `${bad} refused`);
      if (!r.ok) assert.match(r.problem, /proxy|địa chỉ/, `${bad}: a Vietnamese problem`);
    }
  });
});

describe("the client address behind proxies", () => {
  test("without trust, forwarded headers are ignored", () => {
    assert.deepEqual(forwardedClient(false, "203.0.113.9", "1.2.3.4"), {
      address: "203.0.113.9",
      peerIsProxy: false,
    });
  });

  test("one hop: the address the proxy appended, not what the client wrote left of it", () => {
    const r = forwardedClient(trustOf("1"), "127.0.0.1", "6.6.6.6, 7.7.7.7, 198.51.100.20");
    assert.deepEqual(r, { address: "198.51.100.20", peerIsProxy: true });
  });

  test("two hops skip the inner proxy; more hops than entries give the leftmost", () => {
    assert.equal(
      forwardedClient(trustOf("2"), "10.0.0.2", "6.6.6.6, 198.51.100.20, 10.0.0.1").address,
      "198.51.100.20",
    );
    assert.equal(forwardedClient(trustOf("3"), "10.0.0.2", "198.51.100.20").address, "198.51.100.20");
  });

  test("address lists: trusted proxies are skipped from the right, the first other address is the client", () => {
    const trust = trustOf("127.0.0.1, 10.0.0.0/8");
    assert.equal(forwardedClient(trust, "127.0.0.1", "6.6.6.6, 198.51.100.20, 10.1.2.3").address, "198.51.100.20");
    assert.equal(forwardedClient(trust, "::ffff:127.0.0.1", "198.51.100.20").address, "198.51.100.20");
    assert.equal(forwardedClient(trust, "127.0.0.1", "garbage, 10.1.2.3").address, "garbage");
  });

  test("a peer outside the list is the client, whatever it forwards", () => {
    const r = forwardedClient(trustOf("10.0.0.0/8"), "203.0.113.9", "10.0.0.1");
    assert.deepEqual(r, { address: "203.0.113.9", peerIsProxy: false });
  });

  test("forwarded host and proto: the value the nearest proxy set", () => {
    assert.equal(lastForwardedValue("evil.example, cchc.example.vn"), "cchc.example.vn");
    assert.equal(lastForwardedValue(undefined), undefined);
    assert.equal(lastForwardedValue(" "), undefined);
  });
});
