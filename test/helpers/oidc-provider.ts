/**
 * A real OpenID provider for the single sign-on tests: `oidc-provider` (the certified Node implementation) on a free
 * port of this process, with one confidential client (the portal) and test persons. Its login interaction is a tiny
 * handler standing in for the province's login page: the "browser" opens `/interaction/{uid}?as={person}` to log in as
 * that person. Every person's claims carry a bogus `role: "admin"`, in the ID token, which the portal must ignore.
 */
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface TestPerson {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The persons the provider knows, by subject (tests add and change them). */
  persons: Map<string, TestPerson>;
  /** Who logs in when the interaction names nobody (a real browser clicking through): a subject, or null. */
  defaultPerson: string | null;
  /** The payloads of the ID tokens the token endpoint issued, in order. */
  idTokens: Record<string, unknown>[];
  close(): Promise<void>;
}

interface ProviderGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

const decodePayload = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

/**
 * Start the provider. `postLogoutRedirectUri`, when given, is registered for the portal's sign-out at the provider
 * (RP-initiated logout, on by default in oidc-provider: its `end_session_endpoint` asks the browser to confirm);
 * `rpInitiatedLogout: false` makes a provider that advertises no `end_session_endpoint`.
 */
export async function startTestProvider(
  redirectUri: string,
  postLogoutRedirectUri?: string,
  opts: { rpInitiatedLogout?: boolean } = {},
): Promise<TestProvider> {
  const persons = new Map<string, TestPerson>();
  const idTokens: Record<string, unknown>[] = [];
  const clientId = "cchc-portal";
  const clientSecret = "a-test-secret-of-the-portal-client-0123456789";
  const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: postLogoutRedirectUri ? [postLogoutRedirectUri] : [],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...jwk, kid: "test-key", use: "sig", alg: "RS256" }] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ["test-cookie-key-0123456789"] },
    // The claims of the scopes in the ID token itself (as many providers do), the bogus role among them.
    conformIdTokenClaims: false,
    claims: { openid: ["sub", "role"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: opts.rpInitiatedLogout ?? true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Consent is implied: the province's provider grants its registered portal what it asks.
    async loadExistingGrant(ctx: {
      oidc: {
        provider: { Grant: new (init: { clientId: string; accountId: string }) => ProviderGrant };
        client: { clientId: string };
        session: { accountId: string };
      };
    }) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: unknown, id: string) {
      const p = persons.get(id);
      if (!p) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: p.sub,
          email: p.email,
          email_verified: p.emailVerified,
          name: p.name,
          role: "admin",
        }),
      };
    },
  });
  provider.on("grant.success", (ctx: { body?: { id_token?: unknown } }) => {
    const token = ctx.body?.id_token;
    if (typeof token === "string") idTokens.push(decodePayload(token));
  });
  const handle = provider.callback();
  server.on("request", async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", issuer);
      if (url.pathname.startsWith("/interaction/")) {
        const details = await provider.interactionDetails(req, res);
        const as = url.searchParams.get("as") ?? api.defaultPerson;
        if (details.prompt.name !== "login" || !as || !persons.has(as)) {
          res.writeHead(400, { "content-type": "text/plain" });
          res.end(`interaction ${details.prompt.name}: log in with ?as=<subject>`);
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: as } }, { mergeWithLastSubmission: false });
        return;
      }
      handle(req, res);
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    }
  });
  const api: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    persons,
    defaultPerson: null,
    idTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
