import { describe, expect, it } from "vitest";
import { caseActions, caseStates, transitions, type CaseAction } from "../../src/backend/domain/case-transitions.ts";
import { MINOR, MINUTE, auxiliary, officer, operator, refusal, workflowWorld, type WorkflowWorld } from "./workflow-world.ts";

/** Calls the service for `action` with a valid body, so only the state can make it illegal. */
function attempt(w: WorkflowWorld, action: CaseAction, id: string, intoCaseId: string): Promise<unknown> {
  switch (action) {
    case "confirm":
      return w.wf.confirm(id, operator, {});
    case "reject":
      return w.wf.reject(id, operator, { reason: "wrong_object" });
    case "merge":
      return w.wf.merge(id, operator, { intoCaseId });
    case "dispatch":
      return w.wf.dispatch(id, operator, { assigneeId: "off1" });
    case "outcome":
      return w.wf.recordOutcome(id, officer, { outcome: "not_a_case" });
    case "send_back":
      return w.wf.sendBack(id, operator, { reason: "照片不清，重新核实" });
    case "verify":
      return w.wf.verify(id, operator, {});
    case "close":
      return w.wf.close(id, operator, {});
  }
}

describe("case workflow service (in memory)", () => {
  it("drives a candidate through confirm → dispatch → outcome → verify → close, recording each step in order", async () => {
    const w = workflowWorld();
    const c = w.store.addCase({ ...MINOR });
    const confirmed = await w.wf.confirm(c.id, operator, { note: "属实" });
    expect(confirmed).toMatchObject({ state: "confirmed", version: 2, confirmedBy: "op1" });
    expect(confirmed.dueAt?.getTime(), "05/01 has a 60-minute time limit from confirmation").toBe(w.clock().getTime() + 60 * MINUTE);
    await w.wf.dispatch(c.id, operator, { assigneeId: "off1" });
    await w.acceptWithPhoto(c.id);
    w.advance(10 * MINUTE);
    const handled = await w.wf.recordOutcome(c.id, officer, { outcome: "education", note: "已劝离" });
    expect(handled).toMatchObject({ state: "handled", outcome: "education", class721: "service", outcomeNote: "已劝离" });
    expect(handled.handledAt).toEqual(w.clock());
    await w.wf.verify(c.id, operator, {});
    const closed = await w.wf.close(c.id, operator, {});

    expect(closed).toMatchObject({ state: "closed", version: 6 });
    expect(w.store.case(c.id)).toMatchObject({ state: "closed", version: 6, assigneeId: "off1", taskKind: "enforcement" });
    const record = w.store.recordOf(c.id);
    expect(record.map((e) => e.action)).toEqual([
      "case.confirm",
      "case.dispatch",
      "case.access_code_issued",
      "task.accepted",
      "evidence.stored",
      "case.outcome",
      "case.verify",
      "case.close",
    ]);
    expect(record.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(record[0]).toMatchObject({ actorId: "op1", before: { state: "candidate", version: 1 }, after: { state: "confirmed", version: 2, note: "属实" } });
    expect(w.published.map((p) => `${p.action}:${p.state}`)).toEqual([
      "confirm:confirmed",
      "dispatch:dispatched",
      "outcome:handled",
      "verify:verified",
      "close:closed",
    ]);
  });

  for (const state of caseStates) {
    const illegal = caseActions.filter((a) => !transitions[a].from.includes(state));
    it(`refuses ${illegal.join(", ")} on a ${state} case as a conflict, changing nothing`, async () => {
      const w = workflowWorld();
      const c = await w.caseIn(state);
      const target = await w.caseIn("confirmed");
      const before = w.store.case(c.id)!;
      const entries = w.store.record().length;
      for (const action of illegal) {
        expect(await refusal(attempt(w, action, c.id, target.id)), `${action} on ${state}`).toEqual({ kind: "conflict", code: "illegal_transition" });
      }
      expect(w.store.case(c.id)).toEqual(before);
      expect(w.store.record()).toHaveLength(entries);
    });
  }

  it("refuses a step on a version the caller did not see, and lets exactly one of two simultaneous confirmations through", async () => {
    const w = workflowWorld();
    const c = w.store.addCase({ ...MINOR });
    expect(await refusal(w.wf.confirm(c.id, operator, { expectedVersion: 7 }))).toEqual({ kind: "conflict", code: "stale_version" });
    expect(w.store.case(c.id)).toMatchObject({ state: "candidate", version: 1 });

    const both = await Promise.allSettled([
      w.wf.confirm(c.id, operator, { expectedVersion: 1 }),
      w.wf.reject(c.id, { ...operator, id: "op2" }, { reason: "wrong_object", expectedVersion: 1 }),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(both.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(w.store.case(c.id)).toMatchObject({ state: "confirmed", version: 2 });
    expect(w.store.recordOf(c.id).map((e) => e.action)).toEqual(["case.confirm"]);
  });

  it("answers not_found for a case that does not exist", async () => {
    const w = workflowWorld();
    expect((await refusal(w.wf.confirm("nope", operator, {}))).kind).toBe("not_found");
  });

  it("confirms only under a configured, active event code", async () => {
    const w = workflowWorld();
    const unknown = w.store.addCase({ eventMajor: "99", eventMinor: "99" });
    const retired = w.store.addCase({ eventMajor: "05", eventMinor: "09" });
    for (const c of [unknown, retired]) {
      expect(await refusal(w.wf.confirm(c.id, operator, {}))).toEqual({ kind: "unprocessable", code: "event_code_not_configured" });
      expect(w.store.case(c.id)!.state).toBe("candidate");
    }
  });

  it("rejects with an active reason, and with an explanation where the reason needs one", async () => {
    const w = workflowWorld();
    const c = w.store.addCase();
    expect(await refusal(w.wf.reject(c.id, operator, { reason: "no_such_reason" }))).toEqual({ kind: "unprocessable", code: "invalid_value" });
    expect(await refusal(w.wf.reject(c.id, operator, { reason: "retired" }))).toEqual({ kind: "unprocessable", code: "invalid_value" });
    expect(await refusal(w.wf.reject(c.id, operator, { reason: "other", text: " " }))).toEqual({ kind: "unprocessable", code: "text_required" });
    expect(w.store.case(c.id)!.state).toBe("candidate");
    const rejected = await w.wf.reject(c.id, operator, { reason: "other", text: "  是快递车在卸货  " });
    expect(w.store.case(c.id)).toMatchObject({ state: "rejected", rejectReason: "other", rejectText: "是快递车在卸货" });
    expect(rejected.accessCode, "a rejected candidate has no party to notify").toBeUndefined();
  });

  it("merges only into another existing case that is still open, and records it on both chains", async () => {
    const w = workflowWorld();
    const c = w.store.addCase();
    const candidate = w.store.addCase();
    const closed = await w.caseIn("closed");
    expect(await refusal(w.wf.merge(c.id, operator, { intoCaseId: c.id }))).toEqual({ kind: "unprocessable", code: "merge_into_itself" });
    expect(await refusal(w.wf.merge(c.id, operator, { intoCaseId: "nope" }))).toEqual({ kind: "not_found", code: "merge_target_not_found" });
    expect(await refusal(w.wf.merge(c.id, operator, { intoCaseId: candidate.id }))).toEqual({ kind: "conflict", code: "merge_target_invalid" });
    expect(await refusal(w.wf.merge(c.id, operator, { intoCaseId: closed.id }))).toEqual({ kind: "conflict", code: "merge_target_invalid" });

    const target = await w.caseIn("dispatched");
    await w.wf.merge(c.id, operator, { intoCaseId: target.id });
    expect(w.store.case(c.id)).toMatchObject({ state: "merged", mergedIntoId: target.id });
    const received = w.store.recordOf(target.id).at(-1)!;
    expect(received).toMatchObject({ chain: target.candidateId, action: "case.merge_received", after: { mergedCaseId: c.id } });
  });

  it("sends a handled case back with a reason, clearing the outcome for the officer to redo", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("handled");
    expect(await refusal(w.wf.sendBack(c.id, operator, { reason: " x " }))).toEqual({ kind: "unprocessable", code: "reason_required" });
    const back = await w.wf.sendBack(c.id, operator, { reason: "照片看不清" });
    expect(back).toMatchObject({ state: "dispatched", sendBackCount: 1, outcome: null, class721: null, handledAt: null });
    expect(w.store.recordOf(c.id).at(-1)).toMatchObject({ action: "case.send_back", after: { note: "照片看不清" } });
  });

  it("issues the party's access code once, with the dispatch: later decisions keep it, the record holds neither code nor hash", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("confirmed");
    const dispatched = await w.wf.dispatch(c.id, operator, { assigneeId: "off1" });
    expect(dispatched.accessCode).toBe("CODE1");
    expect(w.store.case(c.id)).toMatchObject({ accessCodeHash: "hash:CODE1", accessCodeIssuedAt: w.clock() });
    await w.acceptWithPhoto(c.id);
    const handled = await w.wf.recordOutcome(c.id, officer, { outcome: "education" });
    await w.wf.verify(c.id, operator, {});
    const closed = await w.wf.close(c.id, operator, {});
    expect(handled.accessCode).toBeUndefined();
    expect(closed.accessCode).toBeUndefined();
    expect(w.store.case(c.id)!.accessCodeHash).toBe("hash:CODE1");
    const issued = w.store.recordOf(c.id).filter((e) => e.action === "case.access_code_issued");
    expect(issued).toHaveLength(1);
    expect(issued[0].after).toEqual({ with: "case.dispatch" });
    expect(JSON.stringify(w.store.record())).not.toMatch(/CODE1/);
  });

  it("issues a code with the decision for a case dispatched before codes were issued", async () => {
    const w = workflowWorld();
    const c = w.store.addCase({ state: "dispatched", assigneeId: "off1", taskKind: "enforcement" });
    await w.acceptWithPhoto(c.id);
    const handled = await w.wf.recordOutcome(c.id, officer, { outcome: "education" });
    expect(handled.accessCode).toBe("CODE1");
    expect(w.store.case(c.id)!.accessCodeHash).toBe("hash:CODE1");
    expect(w.store.recordOf(c.id).at(-1)).toMatchObject({ action: "case.access_code_issued", after: { with: "case.outcome" } });
  });

  it("dispatches dissuasion (劝导) tasks to auxiliaries, and records who and what", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("confirmed");
    await w.wf.dispatch(c.id, operator, { assigneeId: auxiliary.id, task: "dissuasion", note: "请劝离" });
    expect(w.store.case(c.id)).toMatchObject({ state: "dispatched", assigneeId: "aux1", taskKind: "dissuasion", dispatchedAt: w.clock() });
    expect(w.store.recordOf(c.id).find((e) => e.action === "case.dispatch")).toMatchObject({
      after: { assigneeId: "aux1", taskKind: "dissuasion", note: "请劝离" },
    });
  });
});
