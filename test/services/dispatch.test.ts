import { describe, expect, it } from "vitest";
import { DAY, auxiliary, officer, officer2, operator, refusal, workflowWorld } from "./workflow-world.ts";

describe("dispatch eligibility through the workflow service (in memory)", () => {
  const refused = [
    { who: "off-nocert", task: "enforcement", why: "an officer without a certificate (执法证)" },
    { who: "off-expired", task: "enforcement", why: "an officer whose certificate expired" },
    { who: "off-revoked", task: "enforcement", why: "an officer whose certificate was revoked" },
    { who: "off-future", task: "enforcement", why: "an officer whose certificate is not valid yet" },
    { who: "off-inactive", task: "enforcement", why: "an inactive officer" },
    { who: "off-inactive", task: "dissuasion", why: "an inactive officer, even for dissuasion" },
    { who: "aux1", task: "enforcement", why: "an auxiliary (协管员) on an enforcement task" },
    { who: "op1", task: "dissuasion", why: "an operator, who does no field tasks" },
  ] as const;
  for (const r of refused) {
    it(`refuses ${r.why}, leaving the case confirmed and unrecorded`, async () => {
      const w = workflowWorld();
      const c = await w.caseIn("confirmed");
      expect(await refusal(w.wf.dispatch(c.id, operator, { assigneeId: r.who, task: r.task }))).toEqual({
        kind: "unprocessable",
        code: "assignee_not_eligible",
      });
      expect(w.store.case(c.id)).toMatchObject({ state: "confirmed", version: c.version, assigneeId: null, accessCodeHash: null });
      expect(w.store.recordOf(c.id).map((e) => e.action)).toEqual(["case.confirm"]);
    });
  }

  it("refuses a person who does not exist", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("confirmed");
    expect(await refusal(w.wf.dispatch(c.id, operator, { assigneeId: "nobody" }))).toEqual({ kind: "unprocessable", code: "assignee_not_found" });
  });

  it("gives enforcement tasks (the default) to certified officers and dissuasion tasks to officers and auxiliaries", async () => {
    const w = workflowWorld();
    for (const [who, task] of [
      [officer.id, undefined],
      [officer.id, "dissuasion"],
      [auxiliary.id, "dissuasion"],
    ] as const) {
      const c = await w.caseIn("confirmed");
      await w.wf.dispatch(c.id, operator, { assigneeId: who, task });
      expect(w.store.case(c.id)).toMatchObject({ state: "dispatched", assigneeId: who, taskKind: task ?? "enforcement" });
    }
  });

  it("judges the certificate at the time of dispatch, by the service's clock", async () => {
    const w = workflowWorld();
    const first = await w.caseIn("confirmed");
    await w.wf.dispatch(first.id, operator, { assigneeId: officer2.id });
    w.advance(3 * DAY); // off2's certificate expires two days after the start
    const later = await w.caseIn("confirmed");
    expect(await refusal(w.wf.dispatch(later.id, operator, { assigneeId: officer2.id }))).toEqual({
      kind: "unprocessable",
      code: "assignee_not_eligible",
    });
    expect(w.store.case(first.id)!.state).toBe("dispatched");
    expect(w.store.case(later.id)!.state).toBe("confirmed");
  });
});
