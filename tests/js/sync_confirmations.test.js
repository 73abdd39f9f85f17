// Issue 24 (13): the studio table's stop (and restart) confirmation says that a stop copies the studio's
// two-way zones to DSS first; the conflict viewer's confirmations are tested in conflicts.test.js.
import { describe, expect, it } from "vitest";
import { STOP_SYNC, batchQuestion, rowQuestion } from "../../js/studio_table/confirm_text.js";

const row = { key: "P/a", project_key: "P", id: "a", name: "Alpha", owner: "alice", state: "RUNNING" };

describe("stop confirmations and file sync", () => {
  it("a stop or restart of one studio says it copies its two-way zones to DSS", () => {
    for (const verb of ["Stop", "Restart"]) {
      const text = rowQuestion(verb, row);
      expect(text).toContain("copies its two-way zones to DSS");
      expect(text).toContain(STOP_SYNC);
    }
  });

  it("a batch stop says it for every studio; a batch start does not", () => {
    const rows = [row, { ...row, key: "P/b", id: "b", name: "Beta" }];
    expect(batchQuestion("stop", rows).text).toContain("copies their two-way zones to DSS");
    expect(batchQuestion("restart", rows).text).toContain("copies their two-way zones to DSS");
    const many = Array.from({ length: 25 }, (_, i) => ({ ...row, key: `P/s${i}`, id: `s${i}`, state: "STOPPED" }));
    expect(batchQuestion("start", many).text).not.toContain("two-way");
  });
});
