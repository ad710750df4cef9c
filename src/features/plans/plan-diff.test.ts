import assert from "node:assert/strict";
import { test } from "node:test";
import { diffTasks } from "./plan-diff.ts";

const current = [
  { id: 1, group: "1", text: "Tăng cường công tác thông tin, tuyên truyền cải cách hành chính trên Đài truyền thanh." },
  { id: 2, group: "2", text: "Tham mưu xây dựng, bố trí kinh phí thực hiện công tác tuyên truyền." },
  { id: 3, group: "3", text: "Lồng ghép nội dung tuyên truyền vào chương trình phổ biến pháp luật." },
];

test("identical text (whatever its case or tone marks) keeps the task", () => {
  const out = diffTasks(
    current,
    current.map((t) => ({ group: t.group, text: t.text.normalize("NFD") })),
  );
  assert.deepEqual(
    out.map((c) => [c.kind, c.taskId]),
    [
      ["kept", 1],
      ["kept", 2],
      ["kept", 3],
    ],
  );
});

test("a lightly edited task keeps its id (and so its progress); new and dropped ones are added and retired", () => {
  const out = diffTasks(current, [
    {
      group: "1",
      text: "Tăng cường công tác thông tin, tuyên truyền cải cách hành chính trên Đài truyền thanh phường.",
    },
    { group: "2", text: "Tổng hợp, báo cáo kinh phí đã chi trước ngày 15/12." },
    { group: "3", text: "Lồng ghép nội dung tuyên truyền vào chương trình phổ biến pháp luật." },
  ]);
  assert.equal(out[0]?.kind, "changed");
  assert.equal(out[0]?.taskId, 1);
  assert.equal(out[1]?.kind, "added");
  assert.equal(out[2]?.kind, "kept");
  assert.deepEqual(
    out.filter((c) => c.kind === "removed").map((c) => c.taskId),
    [2],
  );
});
