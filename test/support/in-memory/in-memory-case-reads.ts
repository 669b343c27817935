import type { Camera, Case, OfficerCertificate, User } from "../../../src/generated/prisma/client.ts";
import type { CaseReads } from "../../../src/backend/services/case-query.service.ts";
import type { CaseListOrder } from "../../../src/backend/repositories/case-read.repository.ts";
import type { CaseListFilter, CaseTableFilter, Page } from "../../../src/backend/repositories/case.repository.ts";
import type { StoredAuditEntry } from "../../../src/backend/repositories/audit.repository.ts";
import type { CaseTableKey, CaseTableSort } from "../../../src/backend/dtos/case.dto.ts";
import { clockRunningStates, type CaseState } from "../../../src/backend/domain/case-transitions.ts";

type Row = { id: string; caseId: string; text: string; contact: string | null; submittedAt: Date };
type Person = User & { certificates: OfficerCertificate[] };

/** Sort keys of the table's orders, most significant first, and whether the order is descending. */
const tableKeys: Record<CaseTableSort, { desc: boolean; key: (c: { priority: number; startedAt: Date; number: number }) => number[] }> = {
  newest: { desc: true, key: (c) => [c.startedAt.getTime(), c.number] },
  oldest: { desc: false, key: (c) => [c.startedAt.getTime(), c.number] },
  priority: { desc: true, key: (c) => [c.priority, c.startedAt.getTime(), c.number] },
};
const compare = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};
const listOrders: Record<CaseListOrder, (a: Case, b: Case) => number> = {
  newest: (a, b) => compare([b.startedAt.getTime(), b.number], [a.startedAt.getTime(), a.number]),
  oldest: (a, b) => compare([a.startedAt.getTime(), a.number], [b.startedAt.getTime(), b.number]),
  review: (a, b) => compare([b.priority, a.startedAt.getTime(), a.number], [a.priority, b.startedAt.getTime(), b.number]),
  due: (a, b) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity),
};

/** The read side's data in memory: cases, cameras, people, the party's statements and the record entries that mark them read. */
export class InMemoryCaseReads implements CaseReads {
  readonly cases: Case[] = [];
  readonly cameras: Camera[] = [];
  readonly people_: Person[] = [];
  readonly statements: Row[] = [];
  readonly record: StoredAuditEntry[] = [];

  async findById(id: string) {
    return this.cases.find((c) => c.id === id) ?? null;
  }

  async list(f: CaseListFilter, page: Page, order: CaseListOrder, now: Date) {
    const matching = this.cases.filter((c) => {
      const inState = !f.states?.length || f.states.includes(c.state as CaseState) || (f.orIds ?? []).includes(c.id);
      const overdue = c.dueAt !== null && c.dueAt < now && clockRunningStates.includes(c.state as CaseState);
      return (
        inState &&
        (!f.cameraId || c.cameraId === f.cameraId) &&
        (!f.assigneeId || c.assigneeId === f.assigneeId) &&
        (f.number === undefined || c.number === f.number) &&
        (f.overdue === undefined || f.overdue === overdue)
      );
    });
    matching.sort(listOrders[order]);
    return { total: matching.length, items: matching.slice(page.offset, page.offset + page.limit) };
  }

  private tableMatching(f: CaseTableFilter): Case[] {
    return this.cases.filter(
      (c) =>
        (!f.states?.length || f.states.includes(c.state as CaseState)) &&
        (!f.rules?.length || f.rules.includes(c.rule)) &&
        (!f.cameraId || c.cameraId === f.cameraId) &&
        (!f.assigneeId || c.assigneeId === f.assigneeId) &&
        (f.number === undefined || c.number === f.number),
    );
  }

  async tableRows(f: CaseTableFilter, sort: CaseTableSort, take: number, cursor?: CaseTableKey, backwards = false) {
    const { desc, key } = tableKeys[sort];
    const down = desc !== backwards;
    return this.tableMatching(f)
      .filter((c) => !cursor || (down ? compare(key(c), key(cursor)) < 0 : compare(key(c), key(cursor)) > 0))
      .sort((a, b) => (down ? compare(key(b), key(a)) : compare(key(a), key(b))))
      .slice(0, take);
  }

  async tableCount(f: CaseTableFilter, cap: number) {
    return Math.min(this.tableMatching(f).length, cap);
  }

  async tableNames(cameraIds: string[], userIds: string[]) {
    return {
      cameras: new Map(this.cameras.filter((c) => cameraIds.includes(c.id)).map((c) => [c.id, { id: c.id, name: c.name, street: c.street }])),
      users: new Map(this.people_.filter((u) => userIds.includes(u.id)).map((u) => [u.id, u.name])),
    };
  }

  async fieldStaff() {
    return this.people_
      .filter((u) => u.role === "officer" || u.role === "auxiliary")
      .map(({ id, name, role, active }) => ({ id, name, role, active }))
      .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
  }

  async fieldStaffFor(street: string | null, grid: string | null, everyone: boolean) {
    if (!street && !grid && !everyone) return [];
    return this.people_
      .filter((u) => u.active && (u.role === "officer" || u.role === "auxiliary"))
      .filter((u) => everyone || (street !== null && u.streets.includes(street)) || (grid !== null && u.grids.includes(grid)))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((u) => ({ ...u, openTasks: this.cases.filter((c) => c.assigneeId === u.id && c.state === "dispatched").length }));
  }

  async camera(id: string) {
    return this.cameras.find((c) => c.id === id) ?? null;
  }

  async mergedInto(id: string) {
    return this.cases.filter((c) => c.mergedIntoId === id).map(({ id, candidateId, number }) => ({ id, candidateId, number }));
  }

  async evidenceOf(): Promise<{ candidateId: string; sha256: string; kind: string; bytes: number; contentType: string; storedAt: Date | null }[]> {
    return [];
  }

  async outcomeCounts(from: Date, to: Date) {
    const counts = new Map<string, { class721: string | null; outcome: string | null; count: number }>();
    for (const c of this.cases) {
      if (!c.handledAt || c.handledAt < from || c.handledAt >= to || c.outcome === null) continue;
      const k = `${c.class721}|${c.outcome}`;
      const row = counts.get(k) ?? { class721: c.class721, outcome: c.outcome, count: 0 };
      row.count++;
      counts.set(k, row);
    }
    return [...counts.values()];
  }

  async recordOf(chain: string) {
    return this.record.filter((e) => e.chain === chain).sort((a, b) => a.seq - b.seq);
  }

  async people(ids: string[]) {
    return this.people_.filter((u) => ids.includes(u.id)).map(({ id, name, role }) => ({ id, name, role }));
  }

  async assignees(ids: string[]) {
    return this.cases.filter((c) => ids.includes(c.id)).map(({ id, assigneeId }) => ({ id, assigneeId }));
  }

  async statementsOn(caseIds: string[]) {
    return this.statements.filter((s) => caseIds.includes(s.caseId)).map(({ id, caseId, submittedAt }) => ({ id, caseId, submittedAt }));
  }

  async statementsOf(caseId: string) {
    return this.statements
      .filter((s) => s.caseId === caseId)
      .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())
      .map(({ id, text, contact, submittedAt }) => ({ id, text, contact, submittedAt }));
  }

  async recordedAfter(caseIds: string[], action: string) {
    return this.record.filter((e) => e.caseId !== null && caseIds.includes(e.caseId) && e.action === action).map((e) => e.after);
  }

  async casesWithUnreadStatements(readAction: string) {
    const read = new Set(
      this.record
        .filter((e) => e.action === readAction)
        .flatMap((e) => ((e.after as { statementIds?: string[] } | null)?.statementIds ?? []).map((id) => `${e.caseId}|${id}`)),
    );
    return [...new Set(this.statements.filter((s) => !read.has(`${s.caseId}|${s.id}`)).map((s) => s.caseId))];
  }
}

/** A whole case row: a candidate of street vending on cam-1, numbered and started as given. */
export function storedCase(over: Partial<Case> & { id: string; number: number; startedAt: Date }): Case {
  return {
    candidateId: `cand-${over.id}`,
    candidateSeq: 1,
    phase: "ended",
    edgeId: "edge-1",
    cameraId: "cam-1",
    zoneId: "z1",
    ruleId: "r1",
    rule: "street_vending",
    eventMajor: "05",
    eventMinor: "02",
    shopId: null,
    vendorId: null,
    subjectKey: null,
    lastSeenAt: over.startedAt,
    endedAt: null,
    bestScore: 0.9,
    objects: [],
    priority: 0,
    state: "candidate",
    version: 1,
    penaltyEvidenceUsable: true,
    penaltyEvidenceNote: null,
    confirmedAt: null,
    confirmedBy: null,
    rejectReason: null,
    rejectText: null,
    mergedIntoId: null,
    penaltyTreatment: null,
    subjectViolationCount: null,
    dispatchedAt: null,
    dueAt: null,
    overdueAt: null,
    assigneeId: null,
    taskKind: null,
    sendBackCount: 0,
    handledAt: null,
    outcome: null,
    outcomeReason: null,
    outcomeNote: null,
    class721: null,
    verifiedAt: null,
    closedAt: null,
    accessCodeHash: null,
    accessCodeIssuedAt: null,
    createdAt: over.startedAt,
    updatedAt: over.startedAt,
    ...over,
  };
}
