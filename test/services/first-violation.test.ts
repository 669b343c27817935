import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/backend/domain/case-record.ts";
import { DAY, MINOR, NOT_MINOR, officer, operator, refusal, workflowWorld, type WorkflowWorld } from "./workflow-world.ts";

const SUBJECT = "shop:老王烧烤";

/** An earlier case of the subject, already in the given state, started `daysAgo` before now. */
function earlier(w: WorkflowWorld, daysAgo: number, over: Partial<CaseRecord> = {}) {
  return w.store.addCase({ ...MINOR, subjectKey: SUBJECT, state: "closed", startedAt: new Date(w.clock().getTime() - daysAgo * DAY), ...over });
}

/** Confirms a new case of the subject, started now, and returns what the service decided. */
async function confirmNew(w: WorkflowWorld, over: Partial<CaseRecord> = {}) {
  const c = w.store.addCase({ ...MINOR, subjectKey: SUBJECT, startedAt: w.clock(), ...over });
  await w.wf.confirm(c.id, operator, {});
  const stored = w.store.case(c.id)!;
  return { id: c.id, penaltyTreatment: stored.penaltyTreatment, subjectViolationCount: stored.subjectViolationCount };
}

describe("首违不罚 (first minor violation: no penalty) through the workflow service (in memory)", () => {
  it("treats a subject's first minor violation as education, not penalty", async () => {
    const w = workflowWorld();
    expect(await confirmNew(w)).toMatchObject({ penaltyTreatment: "first_violation_education", subjectViolationCount: 1 });
  });

  it("penalises a second violation inside the look-back window, and flags the third as repeated", async () => {
    const w = workflowWorld();
    earlier(w, 100);
    expect(await confirmNew(w)).toMatchObject({ penaltyTreatment: "normal", subjectViolationCount: 2 });
    w.advance(DAY);
    expect(await confirmNew(w)).toMatchObject({ penaltyTreatment: "repeated", subjectViolationCount: 3 });
  });

  it("forgets violations older than the look-back window", async () => {
    const w = workflowWorld({ firstViolationLookbackDays: 30, repeatedThreshold: 3 });
    earlier(w, 31);
    earlier(w, 400);
    expect(await confirmNew(w)).toMatchObject({ penaltyTreatment: "first_violation_education", subjectViolationCount: 1 });
  });

  it("counts only real violations: not candidates, rejections or not-a-case outcomes, nor other subjects", async () => {
    const w = workflowWorld();
    earlier(w, 10, { state: "candidate" });
    earlier(w, 10, { state: "rejected" });
    earlier(w, 10, { state: "closed", outcome: "not_a_case" });
    earlier(w, 10, { subjectKey: "shop:隔壁" });
    expect(await confirmNew(w)).toMatchObject({ penaltyTreatment: "first_violation_education", subjectViolationCount: 1 });
    earlier(w, 10, { state: "handled", outcome: "education" });
    w.advance(1);
    // The handled one and the case confirmed just before count: three in the window.
    expect(await confirmNew(w)).toMatchObject({ penaltyTreatment: "repeated", subjectViolationCount: 3 });
  });

  it("never treats a violation that is not minor as first-violation education", async () => {
    const w = workflowWorld();
    expect(await confirmNew(w, { ...NOT_MINOR })).toMatchObject({ penaltyTreatment: "normal", subjectViolationCount: 1 });
  });

  it("leaves a case without a known subject out of the count", async () => {
    const w = workflowWorld();
    const c = w.store.addCase({ ...MINOR });
    await w.wf.confirm(c.id, operator, {});
    expect(w.store.case(c.id)).toMatchObject({ penaltyTreatment: null, subjectViolationCount: null });
  });

  it("lets two simultaneous confirmations of one subject be first only once", async () => {
    const w = workflowWorld();
    const a = w.store.addCase({ ...MINOR, subjectKey: SUBJECT, startedAt: w.clock() });
    const b = w.store.addCase({ ...MINOR, subjectKey: SUBJECT, startedAt: w.clock() });
    await Promise.all([w.wf.confirm(b.id, operator, {}), w.wf.confirm(a.id, operator, {})]);
    const treatments = [w.store.case(a.id)!.penaltyTreatment, w.store.case(b.id)!.penaltyTreatment];
    expect(treatments.filter((t) => t === "first_violation_education")).toHaveLength(1);
  });

  it("holds the officer to it: filing a case on a first violation needs a reason", async () => {
    const w = workflowWorld();
    const { id } = await confirmNew(w);
    await w.wf.dispatch(id, operator, { assigneeId: officer.id });
    await w.acceptWithPhoto(id);
    expect(await refusal(w.wf.recordOutcome(id, officer, { outcome: "file_case" }))).toEqual({ kind: "unprocessable", code: "reason_required" });
    expect(w.store.case(id)!.state).toBe("dispatched");
    await w.wf.recordOutcome(id, officer, { outcome: "file_case", reason: "逾期未改正" });
    expect(w.store.case(id)).toMatchObject({ state: "handled", outcome: "file_case", outcomeReason: "逾期未改正", class721: "enforcement" });
  });
});
