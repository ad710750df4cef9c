/**
 * `npm run -s cli -- grant-sso`: an IT centre grants single sign-on to a person of a ward by their e-mail at the
 * province's provider, from the command line (a child process on the test database), with the same checks and
 * audit records as the administrator's pages; then the person signs in through a REAL provider (oidc-provider).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SSO_CALLBACK_PATH } from "../src/core/config.ts";
import { createWorld, SHARED_DIR, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { startTestProvider, type TestProvider } from "./helpers/oidc-provider.ts";
import { type App, ORIGIN, SsoBrowser } from "./helpers/sso-browser.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

for (const target of testDatabases()) {
  describe(`grant-sso on the command line (${target.name})`, () => {
    let w: TestWorld;
    let op: TestProvider;
    let app: App;
    let ssoEnv: Record<string, string>;

    before(async () => {
      w = await createWorld(target);
      op = await startTestProvider(`${ORIGIN}${SSO_CALLBACK_PATH}`);
      ssoEnv = {
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: op.clientId,
        OIDC_CLIENT_SECRET: op.clientSecret,
        PUBLIC_URL: ORIGIN,
      };
      app = w.appWith(ssoEnv);
    });
    after(async () => {
      await op.close();
      await w.cleanup();
    });

    const cli = (args: string[], env: Record<string, string> = ssoEnv) => {
      const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "grant-sso", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...w.env, ...env, CCHC_SHARED_DIR: SHARED_DIR, LOG_LEVEL: "silent" },
        timeout: 90_000,
      });
      return { status: r.status, out: r.stdout, err: r.stderr };
    };
    const userByEmail = (email: string) =>
      w.db.kysely.selectFrom("users").selectAll().where("sso_email", "=", email).executeTakeFirst();
    const countUsers = async () =>
      Number(
        (
          await w.db.kysely
            .selectFrom("users")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test("the command makes the account and grants the e-mail; the person then signs in through the provider", async () => {
      const r = cli(
        ["--email", " Tran.Thi.Bich@QuangNgai.gov.vn ", "--role", "officer", "--ward", "21439"].concat([
          "--unit",
          "justice",
        ]),
      );
      assert.equal(r.status, 0, `the command succeeds (${r.err})`);
      assert.match(r.out, /Đã tạo tài khoản tran\.thi\.bich \(officer, Phường Đức Phổ\)/, "and says so in Vietnamese");
      const user = await userByEmail("tran.thi.bich@quangngai.gov.vn");
      assert.ok(user, "the account holds the e-mail, normalised");
      assert.equal(user.role, "officer", "with the role given");
      assert.equal(user.org_unit_id, w.unitIds.get("justice"), "and the unit given");
      assert.equal(user.ward_id, w.wardId, "in the ward given");
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "actor", "user_id"])
        .where("entity", "=", "user")
        .where("entity_id", "=", String(user.id))
        .orderBy("id")
        .execute();
      assert.deepEqual(
        audits.map((a) => [a.action, a.actor, a.user_id]),
        [
          ["user.create", "cli", null],
          ["user.sso", "cli", null],
        ],
        "the account's creation and its grant are audited as the command line's",
      );

      op.persons.set("sub-ttb", {
        sub: "sub-ttb",
        email: "tran.thi.bich@quangngai.gov.vn",
        emailVerified: true,
        name: "Trần Thị Bích",
      });
      const b = new SsoBrowser(app);
      const { res } = await b.signIn("sub-ttb");
      assert.equal(res.status, 303, `the person signs in through the provider (got ${res.status})`);
      assert.equal(res.headers.get("location"), "/quan-tri", "to the staff home");
      const home = await b.portalGet("/quan-tri");
      assert.equal(home.status, 200, "the staff pages open");
      assert.ok((await home.text()).includes("tran.thi.bich"), "as the account the command made");

      // Run again with another role: the same account changes, no second one.
      const users = await countUsers();
      const again = cli(["--email", "tran.thi.bich@quangngai.gov.vn", "--role", "coordinator", "--ward", "21439"]);
      assert.equal(again.status, 0, `a second run succeeds (${again.err})`);
      assert.match(again.out, /Đã cập nhật vai trò/, "and says it changed the account");
      assert.equal(await countUsers(), users, "no second account");
      assert.equal((await userByEmail("tran.thi.bich@quangngai.gov.vn"))?.role, "coordinator", "the role changed");
    });

    test("bad input is refused in Vietnamese and nothing is written", async () => {
      const users = await countUsers();
      const cases: [string[], RegExp, string][] = [
        [["--email", "không phải thư", "--role", "coordinator", "--ward", "21439"], /địa chỉ thư điện tử/, "e-mail"],
        [["--email", "a.b@quangngai.gov.vn", "--role", "officer", "--ward", "21439"], /cần thuộc một đơn vị/, "unit"],
        [["--email", "a.b@quangngai.gov.vn", "--role", "superuser", "--ward", "21439"], /vai trò/i, "role"],
        [
          ["--email", "a.b@quangngai.gov.vn", "--role", "coordinator", "--ward", "99999"],
          /Không có xã, phường/,
          "ward",
        ],
        [
          ["--email", "a.b@quangngai.gov.vn", "--role", "coordinator", "--ward", "21439", "--unit", "x"],
          /Không có đơn vị/,
          "unit code",
        ],
      ];
      for (const [args, message, what] of cases) {
        const r = cli(args);
        assert.equal(r.status, 1, `a bad ${what} fails the command`);
        assert.match(r.err, message, `with a Vietnamese message about the ${what} (${r.err})`);
      }
      const off = cli(["--email", "a.b@quangngai.gov.vn", "--role", "coordinator", "--ward", "21439"], {});
      assert.equal(off.status, 1, "without the single sign-on settings the command refuses");
      assert.match(off.err, /Chưa cấu hình đăng nhập một lần/, "saying what to set");

      // An e-mail another ward's account holds is not taken from it.
      await setUpOtherWard(w, "21451");
      const taken = cli(["--email", "tran.thi.bich@quangngai.gov.vn", "--role", "leader", "--ward", "21451"]);
      assert.equal(taken.status, 1, "the e-mail of another ward's account is refused");
      assert.match(taken.err, /đã được cấp cho một tài khoản khác/, "in Vietnamese");
      assert.equal(await countUsers(), users, "no account was created by any of these");
    });
  });
}
