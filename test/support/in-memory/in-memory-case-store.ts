import { entryBody, type AuditEntryContent } from "../../../src/backend/audit/audit-hash.ts";
import type { CaseChanges, CaseRecord, NewAuditEntry } from "../../../src/backend/domain/case-record.ts";
import { clockRunningStates, finalStates, violationStates } from "../../../src/backend/domain/case-transitions.ts";
import type { Assignee } from "../../../src/backend/domain/dispatch-rules.ts";
import type { CaseNotesStore, CaseNotesUnit } from "../../../src/backend/services/ports/case-notes.port.ts";
import type { CaseWorkflowStore, CaseWorkflowUnit, EventCodeRule, RejectReasonRule } from "../../../src/backend/services/ports/case-workflow.port.ts";
import type { Clock } from "../../../src/backend/services/ports/common.ts";
import type { EvidenceRecords, EvidenceUnit } from "../../../src/backend/services/ports/evidence.port.ts";
import type { FieldTaskStore, FieldTaskUnit } from "../../../src/backend/services/ports/field-task.port.ts";
import type { OverdueFlag, OverdueStore, OverdueUnit } from "../../../src/backend/services/ports/overdue.port.ts";
import { storedCase } from "./in-memory-case-reads.ts";

/** A record entry as stored: numbered per chain, before/after as the JSON the database keeps (the hash chain is the real store's business). */
export type RecordedEntry = Omit<AuditEntryContent, "prevHash">;

interface EvidenceLinkRow {
  candidateId: string;
  sha256: string;
  kind: string;
  bytes: number;
  contentType: string;
}

interface State {
  cases: Map<string, CaseRecord>;
  eventCodes: Map<string, EventCodeRule>;
  rejectReasons: Map<string, RejectReasonRule>;
  people: Map<string, Assignee>;
  vendors: Set<string>;
  statements: { id: string; caseId: string }[];
  evidence: Map<string, { bytes: number; contentType: string; storedAt: Date }>;
  links: EvidenceLinkRow[];
  record: RecordedEntry[];
}

const emptyState = (): State => ({
  cases: new Map(),
  eventCodes: new Map(),
  rejectReasons: new Map(),
  people: new Map(),
  vendors: new Set(),
  statements: [],
  evidence: new Map(),
  links: [],
  record: [],
});

/**
 * The case workflow's storage in memory, for unit tests of the services. It keeps what the
 * services rely on from PostgreSQL: a unit of work commits all of its writes or none
 * (a failing unit rolls back), units run one at a time (so the subject lock is implied),
 * updates apply only at the expected version and bump it, a case's first access code is never
 * replaced, the record is numbered per chain in append order, and the queries filter like the
 * SQL does (repositories/case-store.ts). Rows come out as copies: changing one changes nothing stored.
 */
export class InMemoryCaseStore implements CaseWorkflowStore, OverdueStore, CaseNotesStore, FieldTaskStore, EvidenceRecords {
  private state = emptyState();
  private queue: Promise<unknown> = Promise.resolve();
  private nextNumber = 1;

  constructor(private readonly clock: Clock = () => new Date()) {}

  transaction<T>(work: (unit: InMemoryCaseUnit) => Promise<T>): Promise<T> {
    const run = async () => {
      const before = structuredClone(this.state);
      try {
        return await work(new InMemoryCaseUnit(this.state, this.clock));
      } catch (err) {
        this.state = before;
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  // Test set-up: what the database holds before the service acts.

  addCase(c: Partial<CaseRecord> = {}): CaseRecord {
    const number = this.nextNumber++;
    const at = c.startedAt ?? this.clock();
    const row: CaseRecord = storedCase({
      id: `case-${number}`,
      number,
      startedAt: at,
      candidateId: `cand-${number}`,
      candidateSeq: 0,
      phase: "end",
      zoneId: "zone-1",
      ruleId: "rule-1",
      eventMinor: "01",
      ...c,
    });
    this.state.cases.set(row.id, row);
    return structuredClone(row);
  }

  addEventCode(major: string, minor: string, rule: EventCodeRule): void {
    this.state.eventCodes.set(`${major}/${minor}`, { ...rule });
  }

  addRejectReason(rule: RejectReasonRule): void {
    this.state.rejectReasons.set(rule.code, { ...rule });
  }

  addPerson(p: Assignee): void {
    this.state.people.set(p.id, structuredClone(p));
  }

  addVendor(id: string): void {
    this.state.vendors.add(id);
  }

  addStatement(caseId: string, id: string): void {
    this.state.statements.push({ id, caseId });
  }

  addEvidence(e: { sha256: string; bytes: number; contentType: string; storedAt: Date }, ...links: { candidateId: string; kind: string }[]): void {
    this.state.evidence.set(e.sha256, { bytes: e.bytes, contentType: e.contentType, storedAt: e.storedAt });
    for (const l of links) this.state.links.push({ ...l, sha256: e.sha256, bytes: e.bytes, contentType: e.contentType });
  }

  // What the tests inspect afterwards.

  case(id: string): CaseRecord | undefined {
    const c = this.state.cases.get(id);
    return c && structuredClone(c);
  }

  /** The record entries of one case, in the order they were appended. */
  recordOf(caseId: string): RecordedEntry[] {
    return structuredClone(this.state.record.filter((e) => e.caseId === caseId));
  }

  /** Every record entry, in append order. */
  record(): RecordedEntry[] {
    return structuredClone(this.state.record);
  }

  linksOf(candidateId: string): EvidenceLinkRow[] {
    return structuredClone(this.state.links.filter((l) => l.candidateId === candidateId));
  }

  hasEvidence(sha256: string): boolean {
    return this.state.evidence.has(sha256);
  }
}

/** One unit of work over the store's state; the store rolls the state back when the work throws. */
export class InMemoryCaseUnit implements CaseWorkflowUnit, OverdueUnit, CaseNotesUnit, FieldTaskUnit, EvidenceUnit {
  constructor(
    private readonly s: State,
    private readonly clock: Clock,
  ) {}

  async appendRecord(entries: NewAuditEntry[], at: Date): Promise<void> {
    for (const e of entries) {
      const last = this.s.record.filter((r) => r.chain === e.chain).at(-1);
      this.s.record.push({ chain: e.chain, seq: (last?.seq ?? 0) + 1, at, ...entryBody(e) });
    }
  }

  async findCase(id: string): Promise<CaseRecord | null> {
    const c = this.s.cases.get(id);
    return c ? structuredClone(c) : null;
  }

  async findCaseByCandidate(candidateId: string): Promise<CaseRecord | null> {
    const c = [...this.s.cases.values()].find((x) => x.candidateId === candidateId);
    return c ? structuredClone(c) : null;
  }

  async updateIfVersion(id: string, version: number, changes: CaseChanges): Promise<CaseRecord | null> {
    const c = this.s.cases.get(id);
    if (!c || c.version !== version) return null;
    Object.assign(c, changes, { version: version + 1, updatedAt: this.clock() });
    return structuredClone(c);
  }

  async setFirstAccessCode(id: string, hash: string, at: Date): Promise<boolean> {
    const c = this.s.cases.get(id);
    if (!c || c.accessCodeHash !== null) return false;
    Object.assign(c, { accessCodeHash: hash, accessCodeIssuedAt: at });
    return true;
  }

  async setAccessCode(caseId: string, hash: string, at: Date): Promise<void> {
    const c = this.s.cases.get(caseId);
    if (!c) throw new Error(`no case ${caseId} to update`);
    Object.assign(c, { accessCodeHash: hash, accessCodeIssuedAt: at });
  }

  async eventCode(major: string, minor: string): Promise<EventCodeRule | null> {
    const r = this.s.eventCodes.get(`${major}/${minor}`);
    return r ? { ...r } : null;
  }

  async rejectReason(code: string): Promise<RejectReasonRule | null> {
    const r = this.s.rejectReasons.get(code);
    return r ? { ...r } : null;
  }

  async assignee(userId: string): Promise<Assignee | null> {
    const p = this.s.people.get(userId);
    return p ? structuredClone(p) : null;
  }

  async vendorExists(vendorId: string): Promise<boolean> {
    return this.s.vendors.has(vendorId);
  }

  /** Units already run one at a time, which is what the lock guarantees in PostgreSQL. */
  async lockSubject(): Promise<void> {}

  async countSubjectViolations(subjectKey: string, since: Date, until: Date, excludeCaseId: string): Promise<number> {
    return [...this.s.cases.values()].filter(
      (c) =>
        c.subjectKey === subjectKey &&
        c.id !== excludeCaseId &&
        violationStates.includes(c.state) &&
        c.startedAt > since &&
        c.startedAt <= until &&
        c.outcome !== "not_a_case",
    ).length;
  }

  async hasAccepted(caseId: string, userId: string): Promise<boolean> {
    return this.s.record.some((e) => e.caseId === caseId && e.action === "task.accepted" && e.actorId === userId);
  }

  async evidenceCount(candidateId: string, kind: string): Promise<number> {
    return this.s.links.filter((l) => l.candidateId === candidateId && l.kind === kind).length;
  }

  async flagOverdue(now: Date): Promise<OverdueFlag[]> {
    const due = [...this.s.cases.values()].filter((c) => clockRunningStates.includes(c.state) && c.dueAt !== null && c.dueAt < now && c.overdueAt === null);
    for (const c of due) Object.assign(c, { overdueAt: now, version: c.version + 1, updatedAt: now });
    return due.map((c) => ({ id: c.id, candidateId: c.candidateId, dueAt: c.dueAt!, state: c.state }));
  }

  async ownStatements(caseId: string, statementIds: string[]): Promise<string[]> {
    return this.s.statements.filter((st) => st.caseId === caseId && statementIds.includes(st.id)).map((st) => st.id);
  }

  async recordStoredEvidence(e: { sha256: string; bytes: number; contentType: string }): Promise<void> {
    if (!this.s.evidence.has(e.sha256)) this.s.evidence.set(e.sha256, { bytes: e.bytes, contentType: e.contentType, storedAt: this.clock() });
  }

  async linkEvidence(l: EvidenceLinkRow): Promise<boolean> {
    if (this.s.links.some((x) => x.candidateId === l.candidateId && x.sha256 === l.sha256 && x.kind === l.kind)) return false;
    this.s.links.push({ ...l });
    return true;
  }

  async mergedInto(caseId: string): Promise<{ candidateId: string }[]> {
    return [...this.s.cases.values()].filter((c) => c.mergedIntoId === caseId).map((c) => ({ candidateId: c.candidateId }));
  }

  async wasRecorded(candidateId: string, sha256: string): Promise<boolean> {
    return this.s.record.some((e) => e.chain === candidateId && e.evidenceSha256 === sha256 && e.action === "evidence.stored");
  }

  async linkTo(sha256: string, candidateIds: string[]): Promise<{ kind: string } | null> {
    const l = this.s.links.find((x) => x.sha256 === sha256 && candidateIds.includes(x.candidateId));
    return l ? { ...l } : null;
  }

  async evidenceFile(sha256: string): Promise<{ contentType: string; bytes: number } | null> {
    const e = this.s.evidence.get(sha256);
    return e ? { contentType: e.contentType, bytes: e.bytes } : null;
  }

  async purgeable(cutoff: Date, limit: number): Promise<{ sha256: string; candidateIds: string[] }[]> {
    const cases = [...this.s.cases.values()];
    const stillNeeded = (c: CaseRecord) => {
      if (!finalStates.includes(c.state)) return true;
      if (c.state !== "merged") return false;
      const target = cases.find((t) => t.id === c.mergedIntoId);
      return !target || !["closed", "rejected"].includes(target.state);
    };
    const due: { sha256: string; candidateIds: string[] }[] = [];
    for (const [sha256, e] of this.s.evidence) {
      if (!(e.storedAt < cutoff)) continue;
      const links = this.s.links.filter((l) => l.sha256 === sha256);
      if (links.some((l) => cases.some((c) => c.candidateId === l.candidateId && stillNeeded(c)))) continue;
      due.push({ sha256, candidateIds: [...new Set(links.map((l) => l.candidateId))] });
      if (due.length === limit) break;
    }
    return due;
  }

  async forgetEvidence(sha256: string): Promise<void> {
    this.s.evidence.delete(sha256);
  }
}
