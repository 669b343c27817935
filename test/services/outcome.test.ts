import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { DAY, auxiliary, officer, officer2, operator, refusal, workflowWorld } from "./workflow-world.ts";

describe("recording the outcome: who, after what, with which proof (in memory)", () => {
  it("takes the outcome only from the assigned officer", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    expect(await refusal(w.wf.recordOutcome(c.id, officer2, { outcome: "not_a_case" }))).toEqual({ kind: "forbidden", code: "not_assignee" });
    expect(w.store.case(c.id)!.state).toBe("dispatched");
  });

  it("needs the task accepted first (接收任务)", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    expect(await refusal(w.wf.recordOutcome(c.id, officer, { outcome: "not_a_case" }))).toEqual({ kind: "conflict", code: "task_not_accepted" });
    await w.tasks.accept(c.id, officer);
    await w.wf.recordOutcome(c.id, officer, { outcome: "not_a_case" });
    expect(w.store.case(c.id)).toMatchObject({ state: "handled", outcome: "not_a_case", class721: "service" });
  });

  it("needs an officer photo for on-site outcomes, and none for not-a-case or no-case-filed", async () => {
    const w = workflowWorld();
    for (const outcome of ["education", "order_to_correct", "file_case"] as const) {
      const c = await w.caseIn("dispatched");
      await w.tasks.accept(c.id, officer);
      expect(await refusal(w.wf.recordOutcome(c.id, officer, { outcome, reason: "逾期未改正" })), outcome).toEqual({
        kind: "unprocessable",
        code: "officer_photo_required",
      });
      await w.tasks.addPhoto(c.id, officer, "image/png", Readable.from([Buffer.from(`site ${outcome}`)]));
      await w.wf.recordOutcome(c.id, officer, { outcome, reason: "逾期未改正" });
      expect(w.store.case(c.id)!.outcome).toBe(outcome);
    }
    for (const [outcome, reason] of [
      ["not_a_case", undefined],
      ["no_case_filed", "情节轻微"],
    ] as const) {
      const c = await w.caseIn("dispatched");
      await w.tasks.accept(c.id, officer);
      await w.wf.recordOutcome(c.id, officer, { outcome, reason });
      expect(w.store.case(c.id)).toMatchObject({ state: "handled", outcome });
    }
  });

  it("classifies each outcome for the 721 report", async () => {
    const w = workflowWorld();
    const expected = { education: "service", not_a_case: "service", order_to_correct: "management", no_case_filed: "management", file_case: "enforcement" };
    for (const [outcome, class721] of Object.entries(expected)) {
      const c = await w.caseIn("dispatched");
      await w.acceptWithPhoto(c.id);
      await w.wf.recordOutcome(c.id, officer, { outcome: outcome as keyof typeof expected, reason: "理由充分" });
      expect(w.store.case(c.id)!.class721, outcome).toBe(class721);
    }
  });

  it("checks the outcome's own rules before the missing photo, which the officer can still fix on site", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    await w.tasks.accept(c.id, officer);
    expect(await refusal(w.wf.recordOutcome(c.id, officer, { outcome: "no_case_filed" }))).toEqual({ kind: "unprocessable", code: "reason_required" });
  });

  it("ends a dissuasion task only in education or not-a-case", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("confirmed");
    await w.wf.dispatch(c.id, operator, { assigneeId: auxiliary.id, task: "dissuasion" });
    await w.acceptWithPhoto(c.id, auxiliary);
    expect(await refusal(w.wf.recordOutcome(c.id, auxiliary, { outcome: "order_to_correct" }))).toEqual({
      kind: "unprocessable",
      code: "outcome_not_allowed_for_task",
    });
    await w.wf.recordOutcome(c.id, auxiliary, { outcome: "education" });
    expect(w.store.case(c.id)).toMatchObject({ state: "handled", outcome: "education" });
  });

  it("never lets an auxiliary take an enforcement decision, whatever task they hold", async () => {
    const w = workflowWorld();
    // Given before the rules were enforced at dispatch: an auxiliary holding an enforcement task.
    const c = w.store.addCase({ state: "dispatched", assigneeId: auxiliary.id, taskKind: "enforcement" });
    await w.acceptWithPhoto(c.id, auxiliary);
    expect(await refusal(w.wf.recordOutcome(c.id, auxiliary, { outcome: "file_case", reason: "多次劝导无效" }))).toEqual({
      kind: "forbidden",
      code: "outcome_not_allowed_for_role",
    });
    expect(w.store.case(c.id)).toMatchObject({ state: "dispatched", outcome: null });
  });

  it("needs the officer's certificate still valid when the enforcement decision is taken", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("confirmed");
    await w.wf.dispatch(c.id, operator, { assigneeId: officer2.id });
    await w.acceptWithPhoto(c.id, officer2);
    w.advance(3 * DAY); // off2's certificate expired meanwhile
    expect(await refusal(w.wf.recordOutcome(c.id, officer2, { outcome: "order_to_correct" }))).toEqual({ kind: "forbidden", code: "certificate_invalid" });
    await w.wf.recordOutcome(c.id, officer2, { outcome: "education" });
    expect(w.store.case(c.id)!.outcome, "education is no enforcement decision").toBe("education");
  });

  it("names the vendor when the officer identified one, and makes them the subject if the case had none", async () => {
    const w = workflowWorld();
    w.store.addVendor("v-7");
    const c = await w.caseIn("dispatched");
    await w.acceptWithPhoto(c.id);
    expect(await refusal(w.wf.recordOutcome(c.id, officer, { outcome: "education", vendorId: "v-404" }))).toEqual({
      kind: "unprocessable",
      code: "vendor_not_found",
    });
    await w.wf.recordOutcome(c.id, officer, { outcome: "education", vendorId: "v-7" });
    expect(w.store.case(c.id)).toMatchObject({ vendorId: "v-7", subjectKey: "vendor:v-7" });

    const shop = await w.caseIn("dispatched", { subjectKey: "shop:1" });
    await w.acceptWithPhoto(shop.id);
    await w.wf.recordOutcome(shop.id, officer, { outcome: "education", vendorId: "v-7" });
    expect(w.store.case(shop.id)).toMatchObject({ vendorId: "v-7", subjectKey: "shop:1" });
  });
});
