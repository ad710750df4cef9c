import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dateLine, distributionLines, numberLine, punctuatedBasis, signatureLines } from "./admin-document.ts";

describe("Decree 30 document parts", () => {
  test("the date line pads days below 10 and the months 1 and 2 only", () => {
    assert.equal(dateLine("Đức Phổ", "2025-01-05", 2025), "Đức Phổ, ngày 05 tháng 01 năm 2025");
    assert.equal(dateLine("Phổ Minh", "2024-02-19", 2024), "Phổ Minh, ngày 19 tháng 02 năm 2024");
    assert.equal(dateLine("Đức Phổ", "2024-03-09", 2024), "Đức Phổ, ngày 09 tháng 3 năm 2024");
    assert.equal(dateLine("Đức Phổ", "2024-12-14", 2024), "Đức Phổ, ngày 14 tháng 12 năm 2024");
    assert.match(dateLine("Đức Phổ", null, 2026), /^Đức Phổ, ngày\s+tháng\s+năm 2026$/, "a draft leaves day and month");
  });

  test("the number line pads numbers below 10 and leaves room on a draft", () => {
    assert.equal(numberLine(5, "BC-UBND"), "Số: 05/BC-UBND");
    assert.equal(numberLine(118, "BC-UBND"), "Số: 118/BC-UBND");
    assert.match(numberLine(null, "KH-UBND"), /^Số:\s+\/KH-UBND$/);
  });

  test("bases end with ';' and the last with '.'", () => {
    assert.deepEqual(punctuatedBasis(["Căn cứ Luật A;", "Căn cứ Nghị định B.", "Căn cứ Kế hoạch C"]), [
      "Căn cứ Luật A;",
      "Căn cứ Nghị định B;",
      "Căn cứ Kế hoạch C.",
    ]);
  });

  test("the distribution list gets dashes, semicolons, and the archive last", () => {
    assert.deepEqual(distributionLines(["UBND tỉnh Quảng Ngãi", "- Sở Nội vụ;"]), [
      "- UBND tỉnh Quảng Ngãi;",
      "- Sở Nội vụ;",
      "- Lưu: VT.",
    ]);
    assert.deepEqual(distributionLines(["Như trên", "Lưu: VT, VP"]), ["- Như trên;", "- Lưu: VT, VP."]);
  });

  test("the signature block lists authority, on-behalf line and position, skipping what is absent", () => {
    assert.deepEqual(
      signatureLines({
        authority: "TM. ỦY BAN NHÂN DÂN",
        onBehalfOf: "KT. CHỦ TỊCH",
        position: "PHÓ CHỦ TỊCH",
        name: "A",
      }),
      ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    );
    assert.deepEqual(signatureLines({ authority: null, onBehalfOf: null, position: "CHỦ TỊCH", name: null }), [
      "CHỦ TỊCH",
    ]);
  });
});
