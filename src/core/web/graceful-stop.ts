/**
 * A stop that loses no request behind a proxy that keeps connections open (nginx's upstream `keepalive`).
 *
 * The danger is a keep-alive connection the server closes while the proxy is sending a request on it: the proxy gets
 * no answer, and it does not retry a request that is not idempotent (a POST) on another process — the client gets a
 * 502. Node's own `server.close()` does exactly that: it closes every idle keep-alive connection at once, and nginx
 * may have picked one of them for the next request that very moment. So, on stop:
 * - the listening socket is closed (new connections are refused, which nginx does retry on the next process);
 * - a connection is never closed while idle by us: every answer given from now on says `Connection: close`, so the
 *   proxy drops that connection itself after reading it, and an idle one is closed by the proxy's keep-alive timeout,
 *   which is shorter than ours (`KEEP_ALIVE_TIMEOUT_MS`; deploy/nginx.conf.example: `keepalive_timeout 3s`), or by
 *   ours as a last resort — never both racing, since the proxy's comes first;
 * - requests in flight finish and are answered;
 * - once every connection is gone, `done` runs; after `graceMs` whatever is left (a client holding a request open)
 *   is cut, so the stop has an upper bound.
 */
import type { Server } from "node:http";
import net from "node:net";

/**
 * How long Node keeps an idle keep-alive connection open (Node's own default, stated). A proxy in front must close its
 * idle upstream connections sooner (nginx: `keepalive_timeout` in the `upstream` block, 3 s in the example), so that a
 * connection is always closed by the side that would otherwise send on it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** Past this, a stop cuts the connections left (src/main.ts; the systemd unit's TimeoutStopSec is above it). */
export const STOP_GRACE_MS = 10_000;

export interface Drain {
  /** True once `stop` was called. */
  readonly draining: boolean;
  /** Stop taking connections and let the open ones finish; `done` runs once none is left (at most `graceMs`). */
  stop(done: () => void): void;
}

export function drainOnStop(server: Server, opts: { graceMs?: number } = {}): Drain {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  let draining = false;
  // Ahead of the app (and of the page cache's hot path): an answer given while stopping closes its connection.
  server.prependListener("request", (_req, res) => {
    if (draining) res.shouldKeepAlive = false;
  });
  return {
    get draining() {
      return draining;
    },
    stop(done) {
      if (draining) return;
      draining = true;
      const force = setTimeout(() => server.closeAllConnections(), opts.graceMs ?? STOP_GRACE_MS);
      force.unref();
      // net.Server's close, not http.Server's: the latter also closes the idle keep-alive connections at once (Node
      // 19+), the race described above. The callback comes when the last connection has closed.
      net.Server.prototype.close.call(server, () => {
        clearTimeout(force);
        done();
      });
    },
  };
}
