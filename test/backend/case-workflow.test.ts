import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import { CaseWorkflowService } from "../../src/backend/services/case-workflow.service.ts";
import { FieldTaskService } from "../../src/backend/services/field-task.service.ts";
import { EvidenceStore } from "../../src/backend/services/evidence-store.ts";
import { PublicCaseService } from "../../src/backend/services/public-case.service.ts";
import { PublicImageRedactor } from "../../src/backend/services/public-image-redaction.ts";
import { LoginThrottle } from "../../src/backend/auth/login-throttle.ts";
import { LoginThrottleRepository } from "../../src/backend/repositories/login-throttle.repository.ts";
import { tokenHash } from "../../src/backend/auth/opaque-token.ts";
import { caseNumber } from "../../src/backend/dtos/case.dto.ts";
import { CaseQueryService } from "../../src/backend/services/case-query.service.ts";
import { createRepositories } from "../../src/backend/repositories/repositories.ts";
import { OverdueService } from "../../src/backend/services/overdue.service.ts";
import { PrismaCaseStore } from "../../src/backend/repositories/case-store.ts";
import { systemClock } from "../../src/backend/services/ports/common.ts";
import { randomAccessCodes } from "../../src/backend/auth/opaque-token.ts";
import { caseStates, transitions, type CaseAction, type CaseState } from "../../src/backend/domain/case-transitions.ts";
import type { Actor } from "../../src/backend/http/actor.ts";
import { httpStatusOf } from "../../src/backend/http/errors.ts";
import { DomainError } from "../../src/backend/domain/errors.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { acceptWithPhoto, addPeople, reportCandidate, sitePhoto } from "./case-fixtures.ts";

const operator: Actor = { id: "op1", role: "operator", name: "坐席一" };
const operator2: Actor = { id: "op2", role: "operator", name: "坐席二" };
const officer: Actor = { id: "off1", role: "officer", name: "队员一" };
const auxiliary: Actor = { id: "aux1", role: "auxiliary", name: "协管员" };
const DAY = 86_400_000;

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    const status = httpStatusOf(err);
    if (status !== null) return status;
    throw err;
  }
}

/** Status and stable code of a refusal (the code is what the console translates). */
async function refusalOf(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await p;
  } catch (err) {
    const status = httpStatusOf(err);
    if (status !== null) return { status, code: (err as DomainError).code };
    throw err;
  }
  throw new Error("expected a refusal, but it went through");
}

describe.runIf(postgresAvailable())("case workflow (real PostgreSQL)", () => {
  let drop: () => Promise<void>;
  let db: Database;
  let wf: CaseWorkflowService;
  let tasks: FieldTaskService;
  const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-workflow-"));
  const store = new EvidenceStore(evidenceDir, 1024 * 1024);

  beforeAll(async () => {
    const t = await createTestDatabase("cw_workflow");
    drop = t.drop;
    db = await openDatabase({ url: t.url, pgliteDir: "memory://", poolSize: 8 });
    await addPeople(db);
    wf = new CaseWorkflowService(new PrismaCaseStore(db), null, { firstViolationLookbackDays: 365, repeatedThreshold: 3 }, systemClock, randomAccessCodes);
    tasks = new FieldTaskService(new PrismaCaseStore(db), store, 1024 * 1024, systemClock);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
    fs.rmSync(evidenceDir, { recursive: true, force: true });
  });

  /** Drives a fresh candidate into `state` through legal transitions only. */
  async function caseIn(state: CaseState): Promise<string> {
    const id = await reportCandidate(db);
    if (state === "candidate") return id;
    if (state === "rejected") return (await wf.reject(id, operator, { reason: "wrong_object" })).id;
    if (state === "merged") {
      const target = await caseIn("confirmed");
      return (await wf.merge(id, operator, { intoCaseId: target })).id;
    }
    await wf.confirm(id, operator, {});
    if (state === "confirmed") return id;
    await wf.dispatch(id, operator, { assigneeId: "off1" });
    if (state === "dispatched") return id;
    await acceptWithPhoto(tasks, id, officer);
    await wf.recordOutcome(id, officer, { outcome: "education" });
    if (state === "handled") return id;
    await wf.verify(id, operator, {});
    if (state === "verified") return id;
    await wf.close(id, operator, {});
    return id;
  }

  function attempt(action: CaseAction, id: string, intoCaseId: string): Promise<unknown> {
    switch (action) {
      case "confirm":
        return wf.confirm(id, operator, {});
      case "reject":
        return wf.reject(id, operator, { reason: "duplicate" });
      case "merge":
        return wf.merge(id, operator, { intoCaseId });
      case "dispatch":
        return wf.dispatch(id, operator, { assigneeId: "off1" });
      case "outcome":
        return wf.recordOutcome(id, officer, { outcome: "education" });
      case "send_back":
        return wf.sendBack(id, operator, { reason: "照片不清，重新核实" });
      case "verify":
        return wf.verify(id, operator, {});
      case "close":
        return wf.close(id, operator, {});
    }
  }

  it("drives a candidate through confirm → dispatch → outcome → verify → close, recording each step in order", async () => {
    const id = await reportCandidate(db);
    expect((await wf.confirm(id, operator, {})).state).toBe("confirmed");
    expect((await wf.dispatch(id, operator, { assigneeId: "off1" })).state).toBe("dispatched");
    await acceptWithPhoto(tasks, id, officer);
    const handled = await wf.recordOutcome(id, officer, { outcome: "order_to_correct", note: "当场整改" });
    expect(handled.state).toBe("handled");
    expect(handled.class721).toBe("management");
    expect((await wf.verify(id, operator, {})).state).toBe("verified");
    const closed = await wf.close(id, operator, {});
    expect(closed.state).toBe("closed");
    const record = await new CaseQueryService(createRepositories(db).caseReads).record(id);
    expect(record.entries.map((e) => e.action)).toEqual([
      "candidate.reported",
      "case.confirm",
      "case.dispatch",
      "case.access_code_issued",
      "task.accepted",
      "evidence.stored",
      "case.outcome",
      "case.verify",
      "case.close",
    ]);
    expect(record.entries[2].actorId).toBe("op1");
    expect(record.entries[6]).toMatchObject({ actorId: "off1", before: { state: "dispatched" }, after: { state: "handled", outcome: "order_to_correct" } });
  });

  it("sends a handled case back (返工) to the officer, who records a new outcome", async () => {
    const id = await caseIn("handled");
    const back = await wf.sendBack(id, operator, { reason: "未见整改照片" });
    expect(back).toMatchObject({ state: "dispatched", sendBackCount: 1, outcome: null });
    // Still the same person's accepted task, with the photo taken before: nothing to redo but the outcome.
    expect((await wf.recordOutcome(id, officer, { outcome: "education" })).state).toBe("handled");
  });

  it("rejects with a reason from the configured list; 'other' needs text; unknown reasons are refused", async () => {
    expect(await statusOf(wf.reject(await caseIn("candidate"), operator, { reason: "no_such_reason" }))).toBe(422);
    expect(await statusOf(wf.reject(await caseIn("candidate"), operator, { reason: "other" }))).toBe(422);
    const r = await wf.reject(await caseIn("candidate"), operator, { reason: "other", text: "摄像头被遮挡" });
    expect(r).toMatchObject({ state: "rejected", rejectReason: "other", rejectText: "摄像头被遮挡" });
  });

  it("merges a candidate into an existing case, and refuses a candidate or itself as the target", async () => {
    const target = await caseIn("dispatched");
    const merged = await wf.merge(await caseIn("candidate"), operator, { intoCaseId: target });
    expect(merged).toMatchObject({ state: "merged", mergedIntoId: target });
    expect(await statusOf(wf.merge(await caseIn("candidate"), operator, { intoCaseId: await caseIn("candidate") }))).toBe(409);
    const self = await caseIn("candidate");
    expect(await statusOf(wf.merge(self, operator, { intoCaseId: self }))).toBe(422);
    const record = await new CaseQueryService(createRepositories(db).caseReads).record(target);
    expect(record.entries.at(-1)?.action).toBe("case.merge_received");
  });

  it("refuses every illegal transition from every state with 409 and leaves the case unchanged", async () => {
    const target = await caseIn("confirmed");
    const checked: string[] = [];
    for (const state of caseStates) {
      const id = await caseIn(state);
      for (const action of Object.keys(transitions) as CaseAction[]) {
        if (transitions[action].from.includes(state)) continue;
        const before = await db.prisma.case.findUniqueOrThrow({ where: { id } });
        const status = await statusOf(attempt(action, id, target));
        expect(status, `${action} on a ${state} case`).toBe(409);
        const after = await db.prisma.case.findUniqueOrThrow({ where: { id } });
        expect(after.version, `${action} on a ${state} case changed it`).toBe(before.version);
        checked.push(`${state}:${action}`);
      }
    }
    // 8 states × 8 actions minus the 9 legal pairs.
    expect(checked.length).toBe(caseStates.length * 8 - 9);
  });

  it("lets exactly one of two operators confirming the same candidate at once win; the other gets 409", async () => {
    for (let round = 0; round < 5; round++) {
      const id = await caseIn("candidate");
      const results = await Promise.allSettled([wf.confirm(id, operator, {}), wf.confirm(id, operator2, {})]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(DomainError);
      expect(httpStatusOf(lost[0].reason)).toBe(409);
      const entries = await db.prisma.auditEntry.count({ where: { caseId: id, action: "case.confirm" } });
      expect(entries, "only the winner is recorded").toBe(1);
    }
  });

  it("refuses a stale expectedVersion with 409", async () => {
    const id = await caseIn("candidate");
    expect(await statusOf(wf.confirm(id, operator, { expectedVersion: 7 }))).toBe(409);
    expect((await wf.confirm(id, operator, { expectedVersion: 1 })).state).toBe("confirmed");
  });

  it("gives an enforcement task only to an officer with a valid certificate; auxiliaries get dissuasion and cannot decide", async () => {
    expect(await statusOf(wf.dispatch(await caseIn("confirmed"), operator, { assigneeId: "off-nocert" }))).toBe(422);
    expect(await statusOf(wf.dispatch(await caseIn("confirmed"), operator, { assigneeId: "off-expired" }))).toBe(422);
    expect(await statusOf(wf.dispatch(await caseIn("confirmed"), operator, { assigneeId: "aux1", task: "enforcement" }))).toBe(422);
    const id = await caseIn("confirmed");
    expect((await wf.dispatch(id, operator, { assigneeId: "aux1", task: "dissuasion" })).taskKind).toBe("dissuasion");
    await acceptWithPhoto(tasks, id, auxiliary);
    expect(await refusalOf(wf.recordOutcome(id, auxiliary, { outcome: "file_case", reason: "多次违规" }))).toEqual({
      status: 422,
      code: "outcome_not_allowed_for_task",
    });
    expect(await statusOf(wf.recordOutcome(id, officer, { outcome: "education" })), "not the assignee").toBe(403);
    expect((await wf.recordOutcome(id, auxiliary, { outcome: "education" })).class721).toBe("service");
  });

  it("needs a reason for 不予立案 and classifies every outcome for the 721 report", async () => {
    const id = await caseIn("dispatched");
    await tasks.accept(id, officer);
    expect(await statusOf(wf.recordOutcome(id, officer, { outcome: "no_case_filed" }))).toBe(422);
    expect((await wf.recordOutcome(id, officer, { outcome: "no_case_filed", reason: "证据不足" })).class721).toBe("management");
    const report = await new CaseQueryService(createRepositories(db).caseReads).report721(new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    expect(report.total).toBeGreaterThan(0);
    expect(report.byClass.service + report.byClass.management + report.byClass.enforcement).toBe(report.total);
  });

  it("首违不罚: counts a subject's violations inside the look-back window only, from stored history", async () => {
    const t = new Date("2026-06-01T10:00:00Z");
    const at = (d: Date) => ({
      startedAt: d.toISOString(),
      lastSeenAt: d.toISOString(),
      rule: "shop_overflow" as const,
      eventCode: { major: "05", minor: "04" },
    });
    const confirmAt = async (shopId: string, d: Date) => wf.confirm(await reportCandidate(db, { ...at(d), shopId }), operator, {});

    // A violation 366 days earlier is outside the window: this one is again a first violation.
    await confirmAt("shop-old", new Date(t.getTime() - 366 * DAY));
    const outside = await confirmAt("shop-old", t);
    expect(outside).toMatchObject({ penaltyTreatment: "first_violation_education", subjectViolationCount: 1 });

    // 364 days earlier is inside: second violation, normal handling.
    await confirmAt("shop-recent", new Date(t.getTime() - 364 * DAY));
    expect(await confirmAt("shop-recent", t)).toMatchObject({ penaltyTreatment: "normal", subjectViolationCount: 2 });

    // A rejected candidate is not a violation; the third confirmed one inside the window is flagged repeated.
    await wf.reject(await reportCandidate(db, { ...at(new Date(t.getTime() - 30 * DAY)), shopId: "shop-many" }), operator, { reason: "legal_stall" });
    await confirmAt("shop-many", new Date(t.getTime() - 200 * DAY));
    await confirmAt("shop-many", new Date(t.getTime() - 100 * DAY));
    expect(await confirmAt("shop-many", t)).toMatchObject({ penaltyTreatment: "repeated", subjectViolationCount: 3 });

    // Filing a case on a first minor violation needs a reason.
    const first = await confirmAt("shop-first", t);
    await wf.dispatch(first.id, operator, { assigneeId: "off1" });
    await acceptWithPhoto(tasks, first.id, officer);
    expect(await statusOf(wf.recordOutcome(first.id, officer, { outcome: "file_case" }))).toBe(422);
    expect((await wf.recordOutcome(first.id, officer, { outcome: "file_case", reason: "逾期未改正" })).class721).toBe("enforcement");
  });

  it("records an outcome only on an accepted task, and an on-site outcome only with an officer photo on the case", async () => {
    const id = await caseIn("dispatched");
    const before = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    expect(await refusalOf(wf.recordOutcome(id, officer, { outcome: "education" })), "before accepting").toEqual({ status: 409, code: "task_not_accepted" });
    expect(await refusalOf(wf.recordOutcome(id, officer, { outcome: "not_a_case" })), "even an outcome without proof").toEqual({
      status: 409,
      code: "task_not_accepted",
    });
    await tasks.accept(id, officer);
    for (const outcome of ["education", "order_to_correct", "file_case"] as const)
      expect(await refusalOf(wf.recordOutcome(id, officer, { outcome })), outcome).toEqual({ status: 422, code: "officer_photo_required" });
    const unchanged = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    expect(unchanged).toMatchObject({ state: "dispatched", version: before.version, outcome: null });
    expect(await db.prisma.auditEntry.count({ where: { caseId: id, action: "case.outcome" } }), "a refusal records nothing").toBe(0);

    await tasks.addPhoto(id, officer, "image/jpeg", Readable.from([await sitePhoto()]));
    const handled = await wf.recordOutcome(id, officer, { outcome: "order_to_correct" });
    expect(handled).toMatchObject({ state: "handled", outcome: "order_to_correct" });
  });

  it("lets not-a-case (非转案) and no-case-filed (不予立案) go without a photo once the task is accepted", async () => {
    const notACase = await caseIn("dispatched");
    await tasks.accept(notACase, officer);
    expect((await wf.recordOutcome(notACase, officer, { outcome: "not_a_case" })).state).toBe("handled");
    const noCase = await caseIn("dispatched");
    await tasks.accept(noCase, officer);
    expect((await wf.recordOutcome(noCase, officer, { outcome: "no_case_filed", reason: "当事人已离开，证据不足" })).state).toBe("handled");
    const c = await db.prisma.case.findUniqueOrThrow({ where: { id: notACase } });
    expect(await db.prisma.evidenceLink.count({ where: { candidateId: c.candidateId, kind: "officer_photo" } })).toBe(0);
  });

  it("issues the party's access code on dispatch, once: later decisions keep it, the public look-up takes it, the record holds no code", async () => {
    const id = await caseIn("confirmed");
    const dispatched = await wf.dispatch(id, operator, { assigneeId: "off1" });
    const code = dispatched.accessCode!;
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    const stored = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    expect(stored.accessCodeHash).toBe(tokenHash(code));
    expect(stored.accessCodeIssuedAt).not.toBeNull();

    await acceptWithPhoto(tasks, id, officer);
    const decided = await wf.recordOutcome(id, officer, { outcome: "education" });
    expect(decided.accessCode, "a decision does not replace the dispatch's code").toBeUndefined();
    await wf.verify(id, operator, {});
    expect((await wf.close(id, operator, {})).accessCode).toBeUndefined();
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id } })).accessCodeHash).toBe(tokenHash(code));

    const throttle = new LoginThrottle(new LoginThrottleRepository(db), { freeFailures: 5, baseLockSeconds: 1, maxLockSeconds: 10 });
    const lookup = new PublicCaseService(createRepositories(db).publicCases, store, throttle, new PublicImageRedactor("models"));
    const number = caseNumber(stored.number);
    const seen = await lookup.lookup(number, code.toLowerCase(), "127.0.0.9");
    expect(seen).toMatchObject({ caseNumber: number, stateCode: "closed", outcome: { code: "education" } });
    expect(await statusOf(lookup.lookup(number, "AAAAAAAAAA", "127.0.0.9"))).toBe(404);

    const entries = await db.prisma.auditEntry.findMany({ where: { caseId: id }, orderBy: { seq: "asc" } });
    const issued = entries.filter((e) => e.action === "case.access_code_issued");
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ actorId: "op1", after: { with: "case.dispatch" } });
    expect(issued[0].seq, "recorded with the dispatch").toBe(entries.find((e) => e.action === "case.dispatch")!.seq + 1);
    const recorded = JSON.stringify(entries.map((e) => ({ ...e, id: String(e.id) })));
    expect(recorded).not.toContain(code);
    expect(recorded).not.toContain(tokenHash(code));
  });

  it("issues a code with the decision for a case dispatched without one", async () => {
    const id = await caseIn("dispatched");
    // As if dispatched before codes were issued on dispatch.
    await db.prisma.case.update({ where: { id }, data: { accessCodeHash: null, accessCodeIssuedAt: null } });
    await acceptWithPhoto(tasks, id, officer);
    const decided = await wf.recordOutcome(id, officer, { outcome: "education" });
    expect(decided.accessCode).toMatch(/^[A-Z2-9]{10}$/);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id } })).accessCodeHash).toBe(tokenHash(decided.accessCode!));
    const issued = await db.prisma.auditEntry.findMany({ where: { caseId: id, action: "case.access_code_issued" } });
    expect(issued.map((e) => [e.actorId, e.after])).toEqual([
      ["op1", { with: "case.dispatch" }],
      ["off1", { with: "case.outcome" }],
    ]);
  });

  it("flags cases whose time limit (处置时限) passed, once, and lists them as overdue", async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    const late = new CaseWorkflowService(
      new PrismaCaseStore(db),
      null,
      { firstViolationLookbackDays: 365, repeatedThreshold: 3 },
      () => twoHoursAgo,
      randomAccessCodes,
    );
    const overdueId = await reportCandidate(db, { cameraId: "cam-overdue" });
    const c = await late.confirm(overdueId, operator, {});
    expect(c.dueAt!.getTime()).toBe(twoHoursAgo.getTime() + 60 * 60_000); // 05/01 has a 60-minute limit
    const onTime = await reportCandidate(db, { cameraId: "cam-overdue" });
    await wf.confirm(onTime, operator, {});

    const overdue = new OverdueService(new PrismaCaseStore(db), null, systemClock);
    expect(await overdue.flagOverdue()).toBeGreaterThanOrEqual(1);
    expect(await overdue.flagOverdue(), "already flagged cases are not flagged again").toBe(0);
    const flagged = await db.prisma.case.findUniqueOrThrow({ where: { id: overdueId } });
    expect(flagged.overdueAt).not.toBeNull();
    const listed = await new CaseQueryService(createRepositories(db).caseReads).overdue({ cameraId: "cam-overdue", limit: 50, offset: 0 });
    expect(listed.items.map((i) => i.id)).toEqual([overdueId]);
    expect(listed.items[0].overdue).toBe(true);
    expect(await db.prisma.auditEntry.count({ where: { caseId: overdueId, action: "case.overdue" } })).toBe(1);
  });

  it("marks evidence of an unreviewed or unpublished camera as not usable for penalty (Art. 41)", async () => {
    const recorded = new Date("2026-05-01T09:00:00Z");
    await db.prisma.camera.createMany({
      data: [
        { id: "cam-ok", name: "reviewed", legalReviewAt: new Date("2026-01-01T00:00:00Z"), locationPublishedAt: new Date("2026-01-02T00:00:00Z") },
        { id: "cam-unpublished", name: "not published", legalReviewAt: new Date("2026-01-01T00:00:00Z") },
        {
          id: "cam-late-review",
          name: "reviewed later",
          legalReviewAt: new Date("2026-06-01T00:00:00Z"),
          locationPublishedAt: new Date("2026-01-02T00:00:00Z"),
        },
      ],
    });
    const when = { startedAt: recorded.toISOString(), lastSeenAt: recorded.toISOString() };
    const ok = await db.prisma.case.findUniqueOrThrow({ where: { id: await reportCandidate(db, { cameraId: "cam-ok", ...when }) } });
    const unpublished = await db.prisma.case.findUniqueOrThrow({ where: { id: await reportCandidate(db, { cameraId: "cam-unpublished", ...when }) } });
    const late = await db.prisma.case.findUniqueOrThrow({ where: { id: await reportCandidate(db, { cameraId: "cam-late-review", ...when }) } });
    const unknown = await db.prisma.case.findUniqueOrThrow({ where: { id: await reportCandidate(db, { cameraId: "cam-unregistered", ...when }) } });
    expect(ok.penaltyEvidenceUsable).toBe(true);
    expect(unpublished).toMatchObject({ penaltyEvidenceUsable: false });
    expect(unpublished.penaltyEvidenceNote).toMatch(/location is not published/);
    expect(late.penaltyEvidenceNote).toMatch(/reviewed only after/);
    expect(unknown.penaltyEvidenceNote).toMatch(/not registered/);
  });

  it("suggests field staff responsible for the camera's street, certified officers first", async () => {
    await db.prisma.camera.create({ data: { id: "cam-street", name: "人民路口", street: "人民路", grid: "G-01" } });
    const id = await reportCandidate(db, { cameraId: "cam-street" });
    const s = await new CaseQueryService(createRepositories(db).caseReads).suggestedAssignees(id);
    expect(s.suggestions[0]).toMatchObject({ id: "off1", canTakeEnforcement: true });
    expect(s.suggestions.map((x) => x.id).sort()).toEqual(["aux1", "off-expired", "off-nocert", "off1"]);
    expect(s.suggestions.filter((x) => x.canTakeEnforcement).map((x) => x.id)).toEqual(["off1"]);
  });
});
