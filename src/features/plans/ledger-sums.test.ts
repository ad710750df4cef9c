import assert from "node:assert/strict";
import { test } from "node:test";
import { ledgerSumsOf } from "./ledger-sums.ts";
import { lastWorkOn } from "./tracking.rules.ts";

test("the ledger's sums split into pillars, channels and units, text numbers read as numbers", () => {
  const s = ledgerSumsOf([
    {
      kind: "pillar",
      pillar: "procedures",
      channel_kind: null,
      org_unit_id: null,
      unit_name: null,
      n: "3",
      audience: "120",
      cost: "5000",
    },
    {
      kind: "pillar",
      pillar: null,
      channel_kind: null,
      org_unit_id: null,
      unit_name: null,
      n: 1,
      audience: null,
      cost: null,
    },
    {
      kind: "channel",
      pillar: null,
      channel_kind: "radio",
      org_unit_id: null,
      unit_name: null,
      n: "4",
      audience: null,
      cost: "5000",
    },
    {
      kind: "unit",
      pillar: null,
      channel_kind: null,
      org_unit_id: "9",
      unit_name: "Văn phòng",
      n: 1,
      audience: null,
      cost: null,
    },
    {
      kind: "unit",
      pillar: null,
      channel_kind: null,
      org_unit_id: 7,
      unit_name: "Tư pháp",
      n: "3",
      audience: null,
      cost: "5000",
    },
  ]);
  assert.deepEqual(
    s.byPillar,
    [
      { pillar: "procedures", activities: 3, audience: 120, cost: 5000 },
      { pillar: null, activities: 1, audience: 0, cost: 0 },
    ],
    "a pillar's count, people reached and cost; none counts as 0",
  );
  assert.deepEqual(s.byChannel, [{ key: "radio", count: 4, cost: 5000 }], "a channel's count and cost");
  assert.deepEqual(
    s.byUnit,
    [
      { id: 7, name: "Tư pháp", count: 3, cost: 5000 },
      { id: 9, name: "Văn phòng", count: 1, cost: 0 },
    ],
    "units with their names, in name order",
  );
});

test("a task's latest work is the later of its latest activity day and its latest update's Vietnamese day", () => {
  assert.equal(lastWorkOn(null, null), null, "no work: none");
  assert.equal(lastWorkOn("2024-05-01", null), "2024-05-01", "an activity alone");
  // 2024-05-01T18:30Z is already 2 May in Vietnam (UTC+7).
  assert.equal(lastWorkOn(null, "2024-05-01T18:30:00.000Z"), "2024-05-02", "an update alone, on Vietnam's calendar");
  assert.equal(lastWorkOn("2024-05-03", "2024-05-01T18:30:00.000Z"), "2024-05-03", "the later: the activity");
  assert.equal(lastWorkOn("2024-05-01", "2024-05-01T18:30:00.000Z"), "2024-05-02", "the later: the update");
});
