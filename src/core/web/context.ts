/** What every request handler can reach: the composition root's dependencies, the ward in play, the staff session. */
import type { Logger } from "pino";
import type { ActiveSession } from "../auth/sessions.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { AdminUnit } from "../db/schema.ts";

export interface Deps {
  db: Db;
  config: Config;
  clock: () => Date;
  log: Logger;
}

/** How citizens reach the ward's one-stop desk, as its administrator wrote it ("" where none was given). */
export interface WardContact {
  address: string;
  deskHours: string;
  hotline: string;
  email: string;
  /** An https:// address of a map. */
  mapUrl: string;
}

/** The ward a request is about: the unit in force, its province and the predecessors whose records it carries. */
export interface Ward {
  unit: AdminUnit;
  province: AdminUnit | null;
  /** The ward itself and every predecessor that merged into it (full or partial). */
  scopeIds: number[];
  predecessors: { unit: AdminUnit; kind: "full" | "partial" }[];
  /** "" for the deployment's default ward, "/w/{code}" otherwise: prefix of every public link. */
  base: string;
  /** The ward's contact details on public pages (set by the ward profile feature); null when none were given. */
  contact?: WardContact | null;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    /** The request's id (core/web/observe.ts): in its log lines and its `X-Request-Id` answer header. */
    requestId: string;
    ward: Ward;
    session: ActiveSession | null;
    /** Client address for rate limits, login throttling, audit and logs (proxy.ts: never a client-chosen header). */
    ip: string;
    /** Whether the socket peer is a trusted proxy, whose X-Forwarded-Host and -Proto may be believed. */
    viaTrustedProxy: boolean;
    /** Set by public routes whose pages may be cached for anonymous visitors (page-cache.ts). */
    cacheable: boolean;
    /** Set by a cacheable route to be told each time the cache answers for the page it rendered (page-cache.ts). */
    onCacheServe: () => void;
  };
};
