import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Actor } from "../../src/backend/domain/actor.ts";
import type { CaseRecord } from "../../src/backend/domain/case-record.ts";
import type { CaseState } from "../../src/backend/domain/case-transitions.ts";
import { DomainError, type DomainErrorKind } from "../../src/backend/domain/errors.ts";
import type { CaseChange } from "../../src/backend/services/change-feed.ts";
import { CaseNotesService } from "../../src/backend/services/case-notes.service.ts";
import { CaseWorkflowService } from "../../src/backend/services/case-workflow.service.ts";
import { EvidenceService } from "../../src/backend/services/evidence.service.ts";
import { FieldTaskService } from "../../src/backend/services/field-task.service.ts";
import { OverdueService } from "../../src/backend/services/overdue.service.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { InMemoryCaseStore } from "../support/in-memory/in-memory-case-store.ts";
import { InMemoryEvidenceFiles } from "../support/in-memory/in-memory-evidence-files.ts";

export const MINUTE = 60_000;
export const DAY = 86_400_000;
const YEAR = 365 * DAY;

export const operator: Actor = { id: "op1", role: "operator", name: "坐席一" };
export const officer: Actor = { id: "off1", role: "officer", name: "队员一" };
export const officer2: Actor = { id: "off2", role: "officer", name: "队员二" };
export const auxiliary: Actor = { id: "aux1", role: "auxiliary", name: "协管员" };

/** Event codes the world knows: 05/01 a minor violation with a 60-minute limit, 05/02 not minor. */
export const MINOR = { eventMajor: "05", eventMinor: "01" } as const;
export const NOT_MINOR = { eventMajor: "05", eventMinor: "02" } as const;

/**
 * The case workflow's services over in-memory storage, a clock the test moves, change notices
 * it can read and access codes it can predict (CODE1, CODE2, … stored as "hash:CODE1", …).
 */
export function workflowWorld(settings = { firstViolationLookbackDays: 365, repeatedThreshold: 3 }) {
  let now = new Date("2026-06-01T08:00:00.000Z").getTime();
  const clock = () => new Date(now);
  const store = new InMemoryCaseStore(clock);
  const files = new InMemoryEvidenceFiles(1024);
  const published: CaseChange[] = [];
  const feed = { publish: (changes: CaseChange[]) => void published.push(...changes) };
  let issued = 0;
  const accessCodes = {
    issue: () => {
      const code = `CODE${++issued}`;
      return { code, hash: `hash:${code}` };
    },
  };

  store.addEventCode("05", "01", { active: true, timeLimitMinutes: 60, minorViolation: true });
  store.addEventCode("05", "02", { active: true, timeLimitMinutes: 120, minorViolation: false });
  store.addEventCode("05", "09", { active: false, timeLimitMinutes: 60, minorViolation: true });
  store.addRejectReason({ code: "wrong_object", active: true, requiresText: false });
  store.addRejectReason({ code: "other", active: true, requiresText: true });
  store.addRejectReason({ code: "retired", active: false, requiresText: false });
  const cert = (n: string, over: Partial<{ validFrom: Date; expiresAt: Date; revokedAt: Date | null }> = {}) => ({
    number: n,
    validFrom: new Date(now - YEAR),
    expiresAt: new Date(now + YEAR),
    revokedAt: null,
    ...over,
  });
  store.addPerson({ id: "op1", role: "operator", active: true, certificates: [] });
  store.addPerson({ id: "off1", role: "officer", active: true, certificates: [cert("ZF-1")] });
  store.addPerson({ id: "off2", role: "officer", active: true, certificates: [cert("ZF-2", { expiresAt: new Date(now + 2 * DAY) })] });
  store.addPerson({ id: "off-nocert", role: "officer", active: true, certificates: [] });
  store.addPerson({ id: "off-expired", role: "officer", active: true, certificates: [cert("ZF-3", { expiresAt: new Date(now - DAY) })] });
  store.addPerson({ id: "off-revoked", role: "officer", active: true, certificates: [cert("ZF-4", { revokedAt: new Date(now - DAY) })] });
  store.addPerson({ id: "off-future", role: "officer", active: true, certificates: [cert("ZF-5", { validFrom: new Date(now + DAY) })] });
  store.addPerson({ id: "off-inactive", role: "officer", active: false, certificates: [cert("ZF-6")] });
  store.addPerson({ id: "aux1", role: "auxiliary", active: true, certificates: [] });

  const wf = new CaseWorkflowService(store, feed, settings, clock, accessCodes);
  const tasks = new FieldTaskService(store, files, 1024, clock);
  const overdue = new OverdueService(store, feed, clock);
  const notes = new CaseNotesService(store, feed, clock, accessCodes);
  const evidence = new EvidenceService(store, files, 1024, createLogger("test", "silent"), clock);

  let photos = 0;
  /** What the assignee does on site before an on-site outcome: accept the task and add a photo, through the field-task service. */
  async function acceptWithPhoto(caseId: string, actor: Actor = officer): Promise<void> {
    await tasks.accept(caseId, actor);
    await tasks.addPhoto(caseId, actor, "image/jpeg", Readable.from([Buffer.from(`photo ${++photos}`)]));
  }

  /** A case in `state`, driven there through the service from a fresh candidate. */
  async function caseIn(state: CaseState, over: Partial<CaseRecord> = {}): Promise<CaseRecord> {
    const c = store.addCase({ startedAt: clock(), ...MINOR, ...over });
    if (state === "candidate") return c;
    if (state === "rejected") return wf.reject(c.id, operator, { reason: "wrong_object" });
    if (state === "merged") return wf.merge(c.id, operator, { intoCaseId: (await caseIn("confirmed")).id });
    await wf.confirm(c.id, operator, {});
    if (state === "confirmed") return store.case(c.id)!;
    await wf.dispatch(c.id, operator, { assigneeId: "off1" });
    if (state === "dispatched") return store.case(c.id)!;
    await acceptWithPhoto(c.id);
    await wf.recordOutcome(c.id, officer, { outcome: "education" });
    if (state === "handled") return store.case(c.id)!;
    await wf.verify(c.id, operator, {});
    if (state === "verified") return store.case(c.id)!;
    return wf.close(c.id, operator, {});
  }

  return {
    store,
    files,
    wf,
    tasks,
    overdue,
    notes,
    evidence,
    published,
    clock,
    acceptWithPhoto,
    caseIn,
    advance: (ms: number) => void (now += ms),
  };
}

export type WorkflowWorld = ReturnType<typeof workflowWorld>;

/** The kind and stable code of the DomainError a call was refused with (fails when it went through). */
export async function refusal(p: Promise<unknown>): Promise<{ kind: DomainErrorKind; code: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return { kind: err.kind, code: err.code };
    throw err;
  }
  throw new Error("expected a refusal, but it went through");
}

export const sha256Of = (b: Buffer) => createHash("sha256").update(b).digest("hex");
