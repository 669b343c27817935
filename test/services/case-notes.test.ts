import { describe, expect, it } from "vitest";
import { STATEMENT_READ_ACTION } from "../../src/backend/services/case-notes.service.ts";
import { caseNumber } from "../../src/backend/dtos/case.dto.ts";
import { officer, operator, refusal, workflowWorld } from "./workflow-world.ts";

describe("case notes, statements read and access codes (in memory)", () => {
  it("records a field note with the author's role", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    const { at } = await w.notes.add(c.id, officer, "摊主称十分钟后收摊");
    expect(at).toBe(w.clock().toISOString());
    expect(w.store.recordOf(c.id).at(-1)).toMatchObject({ action: "case.note", actorId: "off1", after: { text: "摊主称十分钟后收摊", role: "officer" } });
    expect((await refusal(w.notes.add("nope", officer, "x"))).kind).toBe("not_found");
  });

  it("records which of the party's statements were read, and only the case's own", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    const other = await w.caseIn("dispatched");
    w.store.addStatement(c.id, "st-1");
    w.store.addStatement(c.id, "st-2");
    w.store.addStatement(other.id, "st-9");
    const entries = w.store.record().length;
    expect(await refusal(w.notes.markStatementsRead(c.id, operator, ["st-1", "st-9"]))).toEqual({ kind: "unprocessable", code: "invalid_value" });
    expect(w.store.record()).toHaveLength(entries);
    expect(await w.notes.markStatementsRead(c.id, operator, ["st-2", "st-1"])).toEqual({ read: ["st-1", "st-2"] });
    expect(w.store.recordOf(c.id).at(-1)).toMatchObject({ action: STATEMENT_READ_ACTION, after: { statementIds: ["st-1", "st-2"] } });
    expect(w.published.at(-1)).toMatchObject({ caseId: c.id, action: "statement_read" });
  });

  it("issues a new access code on request for a case with a party to notify, replacing the old one", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched"); // the dispatch issued CODE1
    const again = await w.notes.issueAccessCode(c.id, operator);
    expect(again).toEqual({ caseNumber: caseNumber(c.number), accessCode: "CODE2" });
    expect(w.store.case(c.id)!.accessCodeHash).toBe("hash:CODE2");
    expect(w.store.recordOf(c.id).filter((e) => e.action === "case.access_code_issued")).toHaveLength(2);
    const candidate = w.store.addCase();
    expect((await refusal(w.notes.issueAccessCode(candidate.id, operator))).kind).toBe("conflict");
    expect(w.store.case(candidate.id)!.accessCodeHash).toBeNull();
  });
});
