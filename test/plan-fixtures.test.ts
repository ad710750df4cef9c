/**
 * The plan parser against independent fixtures (test/fixtures/plans, written without reading the parser) and the
 * real seed: every count, code, heading, reference, recipient and signer in `expected.ts`.
 *
 * Conventions the fixture author and the parser author chose differently (both valid, see the fixtures' README)
 * are reconciled here, never by editing expected.ts:
 * - recipients: the parser drops the final ";" / "." of each line, the fixtures keep it → compared without it;
 * - signer: PlanDraft has no `signingFor`; the parser keeps "KT. CHỦ TỊCH" joined to the position and leaves out
 *   "TM. ỦY BAN NHÂN DÂN" → the position may be the own title alone or "signingFor + position";
 * - period: the fixtures give the year, PlanDraft a date range → both ends must fall in that year;
 * - seed title: the parser lower-cases the capital "Trên" that opens the third title line (one sentence), the fixture
 *   keeps it as written → titles compared ignoring letter case.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { squash } from "../src/core/text/vi.ts";
import { docxToPlanText } from "../src/features/plans/docx-text.ts";
import { parsePlan } from "../src/features/plans/parse-plan.ts";
import type { PlanDraft, ReferenceDraft } from "../src/features/plans/plan-draft.ts";
import {
  type ExpectedPlan,
  type ExpectedReference,
  expectedPlans,
  expectedSeed,
  seedPath,
} from "./fixtures/plans/expected.ts";
import { AUTO_NUMBERED_DOCX_NAME, buildAutoNumberedPlanDocx } from "./fixtures/plans/make-docx.ts";

const FIXTURES = new URL("./fixtures/plans/", import.meta.url);
const readFixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
// Where the seed lives on this machine: the same lookup as parse-plan.test.ts, falling back to expected.ts's path.
const SEED = process.env.CCHC_SHARED_DIR
  ? path.resolve(process.env.CCHC_SHARED_DIR, "seeds", path.basename(seedPath))
  : seedPath;

function draftOf(text: string): PlanDraft {
  const result = parsePlan(text);
  if (!result.ok) assert.fail(`expected a draft, got the refusal: ${result.error}`);
  return result.draft;
}

/** "Whitespace runs count as one space" (README). */
const same = (actual: string | null | undefined, expected: string, what: string) =>
  assert.equal(squash(actual ?? ""), squash(expected), what);

function startsAll(actual: string[], starts: string[], what: string): void {
  assert.equal(actual.length, starts.length, `${what}: count`);
  starts.forEach((start, i) => {
    assert.ok(
      squash(actual[i] ?? "").startsWith(squash(start)),
      `${what}[${i}] should start with “${start}”: ${actual[i]}`,
    );
  });
}

const withoutFinalPunctuation = (s: string) => squash(s).replace(/[;.]$/u, "");

/** Identity per the README: kind + number + issuer; laws without number are told apart by name and year. */
function matches(ref: ReferenceDraft, want: ExpectedReference): boolean {
  if (ref.kind !== want.kind || ref.number !== want.number) return false;
  if (want.number === null) return ref.title === want.name && ref.year === want.year;
  return ref.issuer === want.issuer;
}

/** A path such as "contentAreas[3].items[2]" or "assignmentGroups[1].tasks[0]" into the draft, read as text. */
function textAt(draft: PlanDraft, where: string): string {
  let value: unknown = draft;
  for (const [, key, index] of where.matchAll(/(\w+)(?:\[(\d+)\])?/g)) {
    value = (value as Record<string, unknown> | undefined)?.[key ?? ""];
    if (index !== undefined) value = (value as unknown[] | undefined)?.[Number(index)];
  }
  if (value && typeof value === "object" && "text" in value) value = value.text; // a TaskDraft
  assert.equal(typeof value, "string", `${where} should be a text`);
  return value as string;
}

function checkPlan(name: string, read: () => Promise<PlanDraft>, want: ExpectedPlan): void {
  describe(name, () => {
    let d: PlanDraft;
    before(async () => {
      d = await read();
    });

    test("header: number, place, date, title, issuer, period", () => {
      assert.equal(d.kind, want.kind);
      assert.equal(d.number, want.number);
      assert.equal(d.place, want.place);
      assert.equal(d.issuedOn, want.issuedOn);
      // Case-insensitive: see the title convention at the top of the file.
      assert.equal(squash(d.title ?? "").toLowerCase(), squash(want.title).toLowerCase());
      assert.equal(d.issuer, want.issuer);
      assert.deepEqual(d.issuerUnit, want.issuerUnit);
      assert.ok(d.period, "a period");
      assert.equal(d.period.from.slice(0, 4), String(want.period), `period from ${d.period.from}`);
      assert.equal(d.period.to.slice(0, 4), String(want.period), `period to ${d.period.to}`);
    });

    test("basis, purposes and requirements", () => {
      startsAll(d.basis, want.basis.startWith, "basis");
      assert.equal(d.basis.length, want.basis.count);
      startsAll(d.purposes, want.purposes.startWith, "purposes");
      assert.equal(d.purposes.length, want.purposes.count);
      startsAll(d.requirements, want.requirements.startWith, "requirements");
      assert.equal(d.requirements.length, want.requirements.count);
    });

    test("documents to communicate", () => {
      const docs = squash(d.documentsToCommunicate);
      assert.ok(docs.startsWith(want.documentsToCommunicate.startsWith), docs);
      assert.ok(docs.endsWith(want.documentsToCommunicate.endsWith), docs);
    });

    test("content areas: codes, titles, item counts", () => {
      const areas = d.contentAreas.map((a) => ({ code: a.code, title: squash(a.title), itemCount: a.items.length }));
      assert.deepEqual(areas, want.contentAreas);
      const items = d.contentAreas.reduce((n, a) => n + a.items.length, 0);
      assert.equal(items, want.contentItemCount);
    });

    test("channels", () => {
      assert.deepEqual(
        d.channels.map((c) => c.code),
        want.channels.map((c) => c.code),
      );
      want.channels.forEach((c, i) => {
        const title = squash(d.channels[i]?.title ?? "");
        assert.ok(title.startsWith(c.titleStartsWith), `channel ${c.code}: ${title}`);
      });
    });

    test("assignment groups: codes, headings, tasks", () => {
      assert.deepEqual(
        d.assignmentGroups.map((g) => ({ code: g.code, heading: squash(g.heading), taskCount: g.tasks.length })),
        want.assignmentGroups.map((g) => ({ code: g.code, heading: g.heading, taskCount: g.taskCount })),
      );
      want.assignmentGroups.forEach((g, i) => {
        const tasks = d.assignmentGroups[i]?.tasks.map((t) => t.text) ?? [];
        startsAll(tasks, g.tasksStartWith, `group ${g.code} tasks`);
      });
      const tasks = d.assignmentGroups.flatMap((g) => g.tasks.map((t) => squash(t.text)));
      assert.equal(tasks.length, want.taskCount);
      for (const intro of want.notTasksStartWith) {
        assert.ok(!tasks.some((t) => t.startsWith(intro)), `“${intro}…” is not a task`);
      }
    });

    test("paragraphs split by a page break come back whole", () => {
      for (const { where, contains } of want.pageBreakJoins) {
        const text = squash(textAt(d, where));
        assert.ok(text.includes(contains), `${where} should contain “${contains}”: ${text}`);
      }
    });

    test("references: each document once, with its date and issuer", () => {
      for (const ref of want.references) {
        const found = d.references.filter((r) => matches(r, ref));
        assert.equal(found.length, 1, `${ref.kind} ${ref.number ?? ref.name}: found ${found.length} times`);
        assert.equal(found[0]?.issuedOn, ref.issuedOn, `${ref.kind} ${ref.number ?? ref.name}: date`);
      }
      const extra = d.references.filter((r) => !want.references.some((ref) => matches(r, ref)));
      assert.deepEqual(extra, [], "no other reference");
    });

    test("recipients and signer", () => {
      // Recipients: compared without the final ";" / "." (convention, see the top of the file).
      assert.deepEqual(d.recipients.map(withoutFinalPunctuation), want.recipients.map(withoutFinalPunctuation));
      assert.ok(d.signer, "a signer");
      assert.equal(d.signer.name, want.signer.name);
      // Position: the own title alone, or joined after the line naming on whose behalf (convention, see the top).
      const joined = want.signer.signingFor ? `${want.signer.signingFor} ${want.signer.position}` : null;
      const position = squash(d.signer.position);
      assert.ok(position === want.signer.position || position === joined, `signer position: ${position}`);
      assert.ok(!/đã ký/iu.test(`${d.signer.name} ${d.signer.position}`), "“(Đã ký)” is neither name nor position");
    });

    test("everything in NFC", () => {
      const json = JSON.stringify(d);
      assert.equal(json, json.normalize("NFC"));
    });
  });
}

describe("the fixtures still stress what they claim to", () => {
  test("plan-xa-a.txt has CRLF line endings, plan-phuong-b.md is stored NFD", () => {
    assert.ok(readFixture("plan-xa-a.txt").includes("\r\n"));
    const md = readFixture("plan-phuong-b.md");
    assert.notEqual(md, md.normalize("NFC"));
  });
});

checkPlan("plan-xa-a.txt", async () => draftOf(readFixture("plan-xa-a.txt")), expectedPlans["plan-xa-a.txt"]);
checkPlan("plan-phuong-b.md", async () => draftOf(readFixture("plan-phuong-b.md")), expectedPlans["plan-phuong-b.md"]);
checkPlan(
  AUTO_NUMBERED_DOCX_NAME,
  async () => {
    const extracted = await docxToPlanText(await buildAutoNumberedPlanDocx());
    if (!extracted.ok) assert.fail(`DOCX not read: ${extracted.error}`);
    return draftOf(extracted.text);
  },
  expectedPlans[AUTO_NUMBERED_DOCX_NAME],
);
checkPlan("seed", async () => draftOf(readFileSync(SEED, "utf8")), expectedSeed);

test("not-a-plan-decision.txt is refused, in Vietnamese, as a decision", () => {
  const want = expectedPlans["not-a-plan-decision.txt"];
  const result = parsePlan(readFixture("not-a-plan-decision.txt"));
  if (result.ok) assert.fail("a Quyết định must not be read as a plan");
  assert.match(result.error, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u, "a Vietnamese message");
  assert.match(result.error.toLowerCase(), new RegExp(want.detectedKind.toLowerCase(), "u"));
  assert.match(result.error, /không phải kế hoạch/u);
});
