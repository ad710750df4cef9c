/**
 * Which proxies in front of the portal are trusted, and what that makes of a request's client address.
 *
 * `X-Forwarded-For` is a list every proxy appends to: `client, proxy1, proxy2`, the socket peer being the last
 * proxy. Anything left of what a trusted proxy appended was written by the client and proves nothing. So, as
 * Express's `trust proxy` does, walk the list from the right (the socket peer first) and stop at the first address
 * that is not trusted: that is the client. Trust is either a hop count (the N nearest hops are proxies) or a list of
 * proxy addresses and CIDR ranges; the socket peer's trust also decides whether `X-Forwarded-Host` and
 * `X-Forwarded-Proto` are believed.
 */
import { BlockList, isIP } from "node:net";

/** TRUST_PROXY, parsed: nothing trusted, the N nearest hops, or proxies at these addresses. */
export type TrustProxy = false | { hops: number } | { addresses: string[] };

/** Named ranges, as Express names them. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/**
 * Parse TRUST_PROXY: `false`/`0`/empty (no proxy), `true` (one proxy, kept for older configurations: it used to
 * mean "believe the leftmost X-Forwarded-For", which any client can forge), a hop count `1`…`10`, or a
 * comma-separated list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 * Returns a Vietnamese problem for a value it cannot read.
 */
export function parseTrustProxy(value: string): { ok: true; trust: TrustProxy } | { ok: false; problem: string } {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "false" || v === "0") return { ok: true, trust: false };
  if (v === "true") return { ok: true, trust: { hops: 1 } };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) return { ok: false, problem: "số tầng proxy tối đa là 10" };
    return { ok: true, trust: { hops } };
  }
  const addresses: string[] = [];
  for (const raw of v.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    const named = NAMED_RANGES[item];
    if (named) {
      addresses.push(...named);
      continue;
    }
    const [ip, bits, extra] = item.split("/");
    const family = isIP(ip ?? "");
    const maxBits = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > maxBits))) {
      return {
        ok: false,
        problem: `“${item}” không phải địa chỉ IP, dải CIDR (ví dụ 10.0.0.0/8) hay một trong loopback, linklocal, uniquelocal`,
      };
    }
    addresses.push(bits === undefined ? `${ip}/${maxBits}` : item);
  }
  if (addresses.length === 0) return { ok: true, trust: false };
  return { ok: true, trust: { addresses } };
}

/** An IPv4 address a dual-stack socket reports as `::ffff:a.b.c.d` is that IPv4 address. */
function plainAddress(address: string): string {
  const a = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped?.[1] ?? a;
}

const lists = new WeakMap<object, BlockList>();

function blockListOf(trust: { addresses: string[] }): BlockList {
  let list = lists.get(trust);
  if (!list) {
    list = new BlockList();
    for (const range of trust.addresses) {
      const [ip = "", bits = ""] = range.split("/");
      list.addSubnet(ip, Number(bits), isIP(ip) === 6 ? "ipv6" : "ipv4");
    }
    lists.set(trust, list);
  }
  return list;
}

/** Whether the hop at `position` (0: the socket peer, 1: the address it forwarded for, …) is a trusted proxy. */
function trusted(trust: TrustProxy, address: string, position: number): boolean {
  if (!trust) return false;
  if ("hops" in trust) return position < trust.hops;
  const family = isIP(address);
  return family !== 0 && blockListOf(trust).check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client of a request: the first untrusted address walking from the socket peer leftwards through
 * `X-Forwarded-For` (all trusted: the leftmost). `peerIsProxy` says whether the socket peer is a trusted proxy,
 * i.e. whether its other forwarded headers may be believed. `remote` undefined (an in-process request) counts as
 * the socket peer "local".
 */
export function forwardedClient(
  trust: TrustProxy,
  remote: string | undefined,
  forwardedFor: string | undefined,
): { address: string; peerIsProxy: boolean } {
  const peer = plainAddress(remote || "local");
  const peerIsProxy = trusted(trust, peer, 0);
  if (!peerIsProxy || !forwardedFor) return { address: peer, peerIsProxy };
  const hops = forwardedFor
    .split(",")
    .map(plainAddress)
    .filter((a) => a !== "")
    .reverse();
  let address = peer;
  for (const [i, hop] of hops.entries()) {
    address = hop;
    if (!trusted(trust, hop, i + 1)) break;
  }
  return { address, peerIsProxy };
}

/** The value a trusted proxy set in a forwarded header (`X-Forwarded-Proto`, `-Host`): the last one it appended. */
export function lastForwardedValue(header: string | undefined): string | undefined {
  const last = header?.split(",").pop()?.trim();
  return last || undefined;
}
