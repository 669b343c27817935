import { describe, expect, it } from "vitest";
import { caseNumber } from "../../src/backend/dtos/case.dto.ts";
import { operator, refusal, workflowWorld } from "./workflow-world.ts";

describe("bulk actions: one decision for several cases, each changed or refused on its own (in memory)", () => {
  it("rejects what it can; a refused case does not stop the others", async () => {
    const w = workflowWorld();
    const a = w.store.addCase();
    const done = await w.caseIn("confirmed");
    const stale = w.store.addCase();
    const b = w.store.addCase();
    const results = await w.wf.bulk(operator, {
      action: "reject",
      reason: "wrong_object",
      cases: [{ id: a.id, expectedVersion: 1 }, { id: done.id }, { id: stale.id, expectedVersion: 5 }, { id: "missing" }, { id: b.id }],
    });
    expect(results).toEqual([
      { id: a.id, number: caseNumber(a.number), ok: true, state: "rejected" },
      { id: done.id, number: caseNumber(done.number), ok: false, state: "confirmed", kind: "conflict", code: "illegal_transition" },
      { id: stale.id, number: caseNumber(stale.number), ok: false, state: "candidate", kind: "conflict", code: "stale_version" },
      { id: "missing", number: null, ok: false, state: null, kind: "not_found", code: "not_found" },
      { id: b.id, number: caseNumber(b.number), ok: true, state: "rejected" },
    ]);
    expect([a, done, stale, b].map((c) => w.store.case(c.id)!.state)).toEqual(["rejected", "confirmed", "candidate", "rejected"]);
    expect(w.store.recordOf(a.id).map((e) => e.action)).toEqual(["case.reject"]);
    expect(w.store.recordOf(stale.id)).toEqual([]);
    expect(
      w.published.filter((p) => p.action === "reject").map((p) => p.caseId),
      "one notice names the changed cases only",
    ).toEqual([a.id, b.id]);
  });

  it("confirms and dispatches candidates, dispatches confirmed cases, and rolls back a case whose confirmation fails", async () => {
    const w = workflowWorld();
    const candidate = w.store.addCase({ eventMajor: "05", eventMinor: "01" });
    const confirmed = await w.caseIn("confirmed");
    const noCode = w.store.addCase({ eventMajor: "99", eventMinor: "99" });
    const results = await w.wf.bulk(operator, {
      action: "dispatch",
      assigneeId: "off1",
      task: "enforcement",
      cases: [{ id: candidate.id, expectedVersion: 1 }, { id: noCode.id }, { id: confirmed.id, expectedVersion: confirmed.version }],
    });
    expect(results.map((r) => (r.ok ? r.state : r.code))).toEqual(["dispatched", "event_code_not_configured", "dispatched"]);
    expect(results[0]).toMatchObject({ accessCode: "CODE1" });
    expect(w.store.case(candidate.id)).toMatchObject({ state: "dispatched", version: 3, confirmedBy: "op1", assigneeId: "off1", accessCodeHash: "hash:CODE1" });
    expect(w.store.recordOf(candidate.id).map((e) => e.action)).toEqual(["case.confirm", "case.dispatch", "case.access_code_issued"]);
    expect(w.store.case(noCode.id)).toMatchObject({ state: "candidate", version: 1 });
    expect(w.store.recordOf(noCode.id)).toEqual([]);
  });

  it("refuses the whole request when what all cases share is wrong: the reason or the assignee", async () => {
    const w = workflowWorld();
    const a = w.store.addCase();
    const b = await w.caseIn("confirmed");
    expect(await refusal(w.wf.bulk(operator, { action: "reject", reason: "other", cases: [{ id: a.id }] }))).toEqual({
      kind: "unprocessable",
      code: "text_required",
    });
    expect(
      await refusal(w.wf.bulk(operator, { action: "dispatch", assigneeId: "off-nocert", task: "enforcement", cases: [{ id: a.id }, { id: b.id }] })),
    ).toEqual({
      kind: "unprocessable",
      code: "assignee_not_eligible",
    });
    expect(await refusal(w.wf.bulk(operator, { action: "dispatch", assigneeId: "aux1", task: "enforcement", cases: [{ id: b.id }] }))).toEqual({
      kind: "unprocessable",
      code: "assignee_not_eligible",
    });
    expect(w.store.case(a.id)!.state).toBe("candidate");
    expect(w.store.case(b.id)!.state).toBe("confirmed");
  });
});
