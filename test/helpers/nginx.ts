/**
 * Debian's nginx in front of real app processes, configured by deploy/nginx.conf.example itself (the file the README
 * shows): `renderNginxSite` swaps in the test's ports, paths and certificate (or drops the TLS lines), each checked,
 * so a changed example fails here rather than drifting from what is tested. `startNginx` runs it unprivileged in a
 * temporary prefix. Used by test/nginx-proxy.http.test.ts, test/nginx-processes.pg.test.ts and bench/nginx.ts.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const NGINX = "/usr/sbin/nginx";
export const NGINX_EXAMPLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../deploy/nginx.conf.example",
);

/** Replace `from` in `text` (a string: every occurrence; at least one must exist) or fail naming what is missing. */
function swap(text: string, from: RegExp, to: string, what: string): string {
  if (!from.test(text))
    throw new Error(`deploy/nginx.conf.example has no ${what} any more: update test/helpers/nginx.ts`);
  return text.replace(from, to);
}

/**
 * The example site with the app processes at `upstreams` (host:port), its HTTPS server on `port` (with `tls`: a
 * certificate of the test's own; without: the TLS lines dropped and plain HTTP served there), the HTTP → HTTPS
 * redirect on `redirectPort`, and the access log in `dir`.
 */
export function renderNginxSite(opts: {
  upstreams: string[];
  port: number;
  redirectPort: number;
  dir: string;
  tls?: { cert: string; key: string };
}): string {
  let site = fs.readFileSync(NGINX_EXAMPLE, "utf8");
  const servers = /^( *)server 127\.0\.0\.1:\d+( [^;\n]*)?;\n/gm;
  const first = [...site.matchAll(servers)][0];
  if (!first) throw new Error("deploy/nginx.conf.example has no upstream server line any more");
  const lines = opts.upstreams.map((u) => `${first[1]}server ${u}${first[2] ?? ""};\n`).join("");
  let seen = 0;
  site = site.replace(servers, () => (seen++ === 0 ? lines : ""));
  site = swap(site, /^( *)listen 80;$/m, `$1listen 127.0.0.1:${opts.redirectPort};`, "`listen 80;`");
  if (opts.tls) {
    site = swap(
      site,
      /^( *)listen 443 (ssl http2;)$/m,
      `$1listen 127.0.0.1:${opts.port} $2`,
      "`listen 443 ssl http2;`",
    );
    site = swap(site, /\/etc\/ssl\/cchc\/fullchain\.pem/, opts.tls.cert, "ssl_certificate path");
    site = swap(site, /\/etc\/ssl\/cchc\/privkey\.pem/, opts.tls.key, "ssl_certificate_key path");
  } else {
    site = swap(site, /^( *)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${opts.port};`, "`listen 443 ssl http2;`");
    site = swap(site, /^ *ssl_[a-z_]+ [^\n]*\n/gm, "", "ssl_ lines");
  }
  site = swap(site, /\/var\/log\/nginx\/cchc\.access\.log/g, path.join(opts.dir, "access.log"), "access_log path");
  return site;
}

/** A self-signed certificate for 127.0.0.1 (openssl), in `dir`: for nginx's HTTPS server in tests. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"].concat([
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stdio: "ignore" },
  );
  fs.chmodSync(key, 0o644);
  return { cert, key };
}

export interface RunningNginx {
  /** The site, as the example's HTTPS server (plain HTTP here). */
  url: string;
  /** The example's port-80 server (the redirect to HTTPS). */
  redirectUrl: string;
  dir: string;
  /** nginx's master process (its workers are its children). */
  pid: number;
  /** Which upstream (host:port) answered the request with this X-Request-Id (nginx's $request_id), from the access log. */
  servedBy(requestId: string | null): Promise<string | null>;
  log(): string;
  stop(): Promise<void>;
}

/** nginx with the example site in front of `upstreams`, unprivileged, in a temporary folder; resolves once it listens. */
export function startNginx(opts: {
  upstreams: string[];
  port: number;
  redirectPort: number;
  workers?: number;
  /**
   * Serve the example's HTTPS server over TLS with a self-signed certificate; this process then accepts any
   * certificate (NODE_TLS_REJECT_UNAUTHORIZED=0): for tests on loopback only.
   */
  tls?: boolean;
  /** A change to the rendered site (the bench's variants, e.g. without the access log). */
  adjust?: (site: string) => string;
}): Promise<RunningNginx> {
  return runNginx(opts, (dir) => {
    const site = renderNginxSite({ ...opts, dir, tls: opts.tls ? selfSignedCertificate(dir) : undefined });
    return opts.adjust ? opts.adjust(site) : site;
  });
}

/**
 * nginx serving `bytes` itself at every path, with these headers (e.g. Content-Encoding): the bench's measure of what
 * the proxy costs, against the app serving the same bytes.
 */
export function startStaticNginx(opts: {
  port: number;
  bytes: Buffer;
  headers: Record<string, string>;
  workers?: number;
}): Promise<RunningNginx> {
  return runNginx({ ...opts, redirectPort: opts.port }, (dir) => {
    fs.writeFileSync(path.join(dir, "page"), opts.bytes, { mode: 0o644 });
    const headers = Object.entries(opts.headers)
      .map(([k, v]) => `      add_header ${k} "${v}";\n`)
      .join("");
    return `  server {
    listen 127.0.0.1:${opts.port};
    access_log off;
    location / {
      root ${dir};
      try_files /page =404;
      default_type "text/html; charset=utf-8";
${headers}    }
  }
`;
  });
}

async function runNginx(
  opts: { port: number; redirectPort: number; workers?: number; tls?: boolean },
  site: (dir: string) => string,
): Promise<RunningNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-nginx-"));
  // Started as root (CI), nginx's workers run as nobody: they must read this folder and write its temp folders.
  fs.chmodSync(dir, 0o755);
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) {
    fs.mkdirSync(path.join(dir, sub));
    fs.chmodSync(path.join(dir, sub), 0o777);
  }
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(
    conf,
    `worker_processes ${opts.workers ?? 1};
events { worker_connections 1024; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site(dir)}
}
`,
  );
  const child: ChildProcess = spawn(
    NGINX,
    ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log"), "-g", `daemon off; pid ${dir}/nginx.pid;`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const log = () => {
    let errors = "";
    try {
      errors = fs.readFileSync(path.join(dir, "error.log"), "utf8");
    } catch {
      // not written yet
    }
    return `${out}${errors}`;
  };
  // The test's own certificate: this process (a test, never the app) accepts it, as a browser told to trust it would.
  if (opts.tls) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const url = `${opts.tls ? "https" : "http"}://127.0.0.1:${opts.port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${log()}`);
    try {
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      break;
    } catch {
      if (i > 100) throw new Error(`nginx did not listen at ${url}:\n${log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const accessLog = path.join(dir, "access.log");
  return {
    url,
    redirectUrl: `http://127.0.0.1:${opts.redirectPort}`,
    dir,
    pid: child.pid as number,
    log,
    async servedBy(requestId) {
      if (!requestId) return null;
      // nginx writes the line once the answer is sent: the client may read the answer a moment before.
      for (let i = 0; i < 40; i++) {
        const text = fs.existsSync(accessLog) ? fs.readFileSync(accessLog, "utf8") : "";
        const line = text.split("\n").find((l) => l.endsWith(` rid=${requestId}`));
        // After a retry nginx lists every upstream it tried ("a, b"): the last one answered.
        const upstream = line ? / upstream=(.+) rid=/.exec(line)?.[1]?.split(", ").pop() : undefined;
        if (upstream) return upstream;
        await new Promise((r) => setTimeout(r, 25));
      }
      return null;
    },
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
