import assert from "node:assert/strict";
import { test } from "node:test";
import { attendedTotal, CHANNEL_OF_KIND, EVENT_KINDS, isPublic, stepsOpenTo } from "./events.rules.ts";

const radio = 4;
const officer = { role: "officer" as const, org_unit_id: radio };
const otherOfficer = { role: "officer" as const, org_unit_id: 9 };
const coordinator = { role: "coordinator" as const, org_unit_id: 1 };
const leader = { role: "leader" as const, org_unit_id: null };
const viewer = { role: "viewer" as const, org_unit_id: null };

test("who may take which step: the unit writes and holds, the office reviews, the leader approves", () => {
  const at = (status: string) => ({ status, org_unit_id: radio });
  assert.deepEqual(stepsOpenTo(officer, at("draft")), ["submit"]);
  assert.deepEqual(stepsOpenTo(otherOfficer, at("draft")), [], "another unit's officer: nothing");
  assert.deepEqual(stepsOpenTo(coordinator, at("submitted")), ["review", "send_back", "withdraw"]);
  assert.deepEqual(stepsOpenTo(leader, at("submitted")), ["send_back", "withdraw"], "the leader waits for the review");
  assert.deepEqual(stepsOpenTo(leader, at("reviewed")), ["send_back", "approve", "withdraw"]);
  assert.deepEqual(stepsOpenTo(coordinator, at("reviewed")), ["send_back", "withdraw"], "the office does not approve");
  assert.deepEqual(stepsOpenTo(officer, at("approved")), ["hold"]);
  assert.deepEqual(stepsOpenTo(officer, at("held")), [], "an officer cannot undo what was held");
  assert.deepEqual(stepsOpenTo(leader, at("held")), ["withdraw"]);
  assert.deepEqual(stepsOpenTo(coordinator, at("withdrawn")), [], "withdrawn is final");
  assert.deepEqual(stepsOpenTo(viewer, at("draft")), []);
});

test("every kind counts under a channel of the national list; attendance sums its groups", () => {
  for (const kind of Object.keys(EVENT_KINDS) as (keyof typeof EVENT_KINDS)[])
    assert.ok(CHANNEL_OF_KIND[kind], `${kind} has a channel`);
  assert.equal(CHANNEL_OF_KIND.residential, "community_meeting");
  assert.equal(CHANNEL_OF_KIND.integrated, "meeting_integration");
  assert.equal(attendedTotal({ officials: 12, residents: 85 }), 97);
  assert.equal(attendedTotal({}), 0);
});

test("public once announced: approved, held, or cancelled after the announcement; never a draft", () => {
  assert.equal(isPublic({ status: "draft", announced: false }), false);
  assert.equal(isPublic({ status: "reviewed", announced: false }), false);
  assert.equal(isPublic({ status: "approved", announced: true }), true);
  assert.equal(isPublic({ status: "held", announced: true }), true);
  assert.equal(isPublic({ status: "withdrawn", announced: false }), false, "withdrawn before anyone was told");
  assert.equal(isPublic({ status: "withdrawn", announced: true }), true, "a cancellation calendars must learn of");
});
