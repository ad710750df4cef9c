/**
 * The plan parser against independent fixtures (test/fixtures/plans, written without reading the parser) and the
 * real seed: every count, code, heading, reference, recipient and signer in `expected.ts`.
 *
 * Conventions the fixture author and the parser author chose differently (both valid, see the fixtures' README)
 * are reconciled here, never by editing expected.ts:
 * - recipients: the parser drops the final ";" / "." of each line, the fixtures keep it → compared without it;
 * - signer: the fixtures' one `signingFor` is the parser's `authority` ("TM. …") or `onBehalfOf` ("KT. …", "TL. …");
 *   the position is the own title alone;
 * - period: the fixtures give the year, PlanDraft a date range → both ends must fall in that year;
 * - seed title: the parser lower-cases the capital "Trên" that opens the third title line (one sentence), the fixture
 *   keeps it as written → titles compared ignoring letter case.
 *
 * Beyond expected.ts: every content area maps onto a pillar, and the same plans reshaped as real files come
 * (LF/NFC, hard-wrapped lines, a page break marked inside a name) give the very same draft.
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

/** Read once, shared by the checks that need it. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => {
    value ??= read();
    return value;
  };
}

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
      assert.equal(squash(d.signer.position), want.signer.position, "signer position");
      const signingFor = want.signer.signingFor;
      assert.deepEqual(
        [d.signer.authority, d.signer.onBehalfOf],
        signingFor === null ? [null, null] : /^TM\./u.test(signingFor) ? [signingFor, null] : [null, signingFor],
        "the authority line as the contract names it",
      );
      assert.ok(!/đã ký/iu.test(`${d.signer.name} ${d.signer.position}`), "“(Đã ký)” is neither name nor position");
    });

    // Not in expected.ts, but every area of these plans is one of the six national pillars.
    test("every content area maps onto a pillar", () => {
      assert.deepEqual(
        d.contentAreas.filter((a) => a.pillar === null).map((a) => a.title),
        [],
      );
    });

    test("everything in NFC", () => {
      const json = JSON.stringify(d);
      assert.equal(json, json.normalize("NFC"));
    });
  });
}

describe("the fixtures still stress what they claim to", () => {
  test("plan-xa-a.txt has CRLF line endings, plan-phuong-b.md is stored NFD", () => {
    assert.ok(
      readFixture("plan-xa-a.txt").includes("\r\n"),
      'expected: readFixture("plan-xa-a.txt").includes("\\r\\n")',
    );
    const md = readFixture("plan-phuong-b.md");
    assert.notEqual(md, md.normalize("NFC"));
  });
});

const readXaA = once(async () => draftOf(readFixture("plan-xa-a.txt")));
const readPhuongB = once(async () => draftOf(readFixture("plan-phuong-b.md")));
const readDocx = once(async () => {
  const extracted = await docxToPlanText(await buildAutoNumberedPlanDocx());
  if (!extracted.ok) assert.fail(`DOCX not read: ${extracted.error}`);
  return draftOf(extracted.text);
});
const readSeed = once(async () => draftOf(readFileSync(SEED, "utf8")));

checkPlan("plan-xa-a.txt", readXaA, expectedPlans["plan-xa-a.txt"]);
checkPlan("plan-phuong-b.md", readPhuongB, expectedPlans["plan-phuong-b.md"]);
checkPlan(AUTO_NUMBERED_DOCX_NAME, readDocx, expectedPlans[AUTO_NUMBERED_DOCX_NAME]);
checkPlan("seed", readSeed, expectedSeed);

/**
 * Break every line longer than `width` at spaces, as a PDF copy or an e-mail does. Markdown headings and tables,
 * and the two-column header lines, stay whole.
 */
function hardWrap(text: string, width: number): string {
  const wrapLine = (line: string) => {
    if (line.length <= width || /^[#|]/.test(line) || /\S {3,}\S/.test(line)) return line;
    const out: string[] = [];
    let current = "";
    for (const word of line.split(" ")) {
      if (current !== "" && current.length + 1 + word.length > width) {
        out.push(current);
        current = word;
      } else current = current === "" ? word : `${current} ${word}`;
    }
    return [...out, current].join("\n");
  };
  return text.split("\n").map(wrapLine).join("\n");
}

/** Replace exactly one occurrence, so a change that no longer applies fails loudly. */
function replaceOnce(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `expected exactly one “${from}”`);
  return text.replace(from, to);
}

// The same plans in other shapes real files take: the draft must not change.
describe("the fixtures reshaped read the same", () => {
  const shapes: [string, () => Promise<PlanDraft>, string, string][] = [
    ["plan-xa-a.txt", readXaA, "tỉnh Nghệ An ban hành", "tỉnh Nghệ\f\nAn ban hành"],
    ["plan-phuong-b.md", readPhuongB, "tỉnh Thái Nguyên về việc", "tỉnh Thái\n\n- 2 -\n\nNguyên về việc"],
  ];
  for (const [name, read, at, broken] of shapes) {
    const text = readFixture(name).replace(/\r\n/g, "\n").normalize("NFC");

    test(`${name}: with LF and NFC instead`, async () => {
      assert.deepEqual(draftOf(text), await read());
    });

    test(`${name}: hard-wrapped at 60, 72 and 90 columns, as copied from a PDF`, async () => {
      for (const width of [60, 72, 90]) assert.deepEqual(draftOf(hardWrap(text, width)), await read(), `${width}`);
    });

    test(`${name}: a page break marked by a form feed or a page number, inside a name`, async () => {
      assert.deepEqual(draftOf(replaceOnce(text, at, broken)), await read());
    });
  }
});

test("seed: hard-wrapped at 60, 72 and 90 columns, and a page break inside the issuer's name", async () => {
  const seed = readFileSync(SEED, "utf8");
  for (const width of [60, 72, 90]) assert.deepEqual(draftOf(hardWrap(seed, width)), await readSeed(), `${width}`);
  const broken = replaceOnce(seed, "UBND phường Phổ Minh ban hành", "UBND phường Phổ\f\nMinh ban hành");
  assert.deepEqual(draftOf(broken), await readSeed());
});

test("the DOCX plan for the last six months of 2025 runs from July to December", async () => {
  assert.deepEqual((await readDocx()).period, { from: "2025-07-01", to: "2025-12-31" });
});

test("a citation's subject ends with its paragraph", async () => {
  const plan = (await readPhuongB()).references.find((r) => r.number === "198/KH-UBND");
  assert.equal(plan?.title, "cải cách hành chính năm 2026");
});

test("not-a-plan-decision.txt is refused, in Vietnamese, as a decision", () => {
  const want = expectedPlans["not-a-plan-decision.txt"];
  const result = parsePlan(readFixture("not-a-plan-decision.txt"));
  if (result.ok) assert.fail("a Quyết định must not be read as a plan");
  assert.match(result.error, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u, "a Vietnamese message");
  assert.match(result.error.toLowerCase(), new RegExp(want.detectedKind.toLowerCase(), "u"));
  assert.match(result.error, /không phải kế hoạch/u);
});
