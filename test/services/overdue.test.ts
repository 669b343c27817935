import { describe, expect, it } from "vitest";
import { MINUTE, NOT_MINOR, workflowWorld } from "./workflow-world.ts";

describe("overdue sweep (处置时限) (in memory)", () => {
  it("flags cases whose time limit ran out while the clock runs, once, with a record entry", async () => {
    const w = workflowWorld();
    const confirmed = await w.caseIn("confirmed"); // 60 minutes
    const dispatched = await w.caseIn("dispatched"); // 60 minutes
    const longer = await w.caseIn("confirmed", { ...NOT_MINOR }); // 120 minutes
    const handled = await w.caseIn("handled"); // the clock stopped with the outcome
    const before = { confirmed: w.store.case(confirmed.id)!.version, handled: w.store.case(handled.id)!.version };

    w.advance(60 * MINUTE);
    expect(await w.overdue.flagOverdue(), "due exactly now is not past due").toBe(0);
    w.advance(1);
    expect(await w.overdue.flagOverdue()).toBe(2);
    expect(await w.overdue.flagOverdue(), "already flagged cases are not flagged again").toBe(0);

    expect(w.store.case(confirmed.id)).toMatchObject({ overdueAt: w.clock(), version: before.confirmed + 1 });
    expect(w.store.case(dispatched.id)!.overdueAt).toEqual(w.clock());
    expect(w.store.case(longer.id)!.overdueAt).toBeNull();
    expect(w.store.case(handled.id)).toMatchObject({ overdueAt: null, version: before.handled });
    expect(w.store.recordOf(confirmed.id).at(-1)).toMatchObject({ action: "case.overdue", actorId: "system:overdue", after: { state: "confirmed" } });
    expect(w.published.filter((p) => p.action === "overdue").map((p) => p.caseId)).toEqual([confirmed.id, dispatched.id]);

    w.advance(60 * MINUTE);
    expect(await w.overdue.flagOverdue()).toBe(1);
    expect(w.store.case(longer.id)!.overdueAt).toEqual(w.clock());
  });
});
