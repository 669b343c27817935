import type { Case } from "../../generated/prisma/client.ts";
import type { CaseChanges, CaseRecord, NewAuditEntry } from "../domain/case-record.ts";
import type { Assignee } from "../domain/dispatch-rules.ts";
import type { Database } from "../db/database.ts";
import type { CaseWorkflowStore, CaseWorkflowUnit, EventCodeRule, RejectReasonRule } from "../services/ports/case-workflow.port.ts";
import type { CaseNotesStore, CaseNotesUnit } from "../services/ports/case-notes.port.ts";
import type { EvidenceRecords, EvidenceUnit } from "../services/ports/evidence.port.ts";
import type { FieldTaskStore, FieldTaskUnit } from "../services/ports/field-task.port.ts";
import type { OverdueFlag, OverdueStore, OverdueUnit } from "../services/ports/overdue.port.ts";
import { AuditRepository } from "./audit.repository.ts";
import { CaseRepository } from "./case.repository.ts";
import { EvidenceRepository } from "./evidence.repository.ts";
import { withRetries, type Tx } from "./tx.ts";

// The domain's case and the Prisma row are the same thing: either converts to the other without a mapping.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const caseRecordIsTheRow: Same<Case, CaseRecord> = true;
void caseRecordIsTheRow;

/** How often a unit of work is tried when PostgreSQL aborts it (deadlock, serialization failure, chain race). */
const ATTEMPTS = 3;

/**
 * The case workflow's storage in PostgreSQL (Prisma), for the workflow, overdue sweep, notes,
 * field tasks and evidence services: each unit of work is one interactive transaction, tried
 * again as a whole when PostgreSQL aborts it for a retryable reason.
 */
export class PrismaCaseStore implements CaseWorkflowStore, OverdueStore, CaseNotesStore, FieldTaskStore, EvidenceRecords {
  private readonly repos = { cases: new CaseRepository(), audit: new AuditRepository(), evidence: new EvidenceRepository() };

  constructor(private readonly db: Database) {}

  transaction<T>(work: (unit: PrismaCaseUnit) => Promise<T>): Promise<T> {
    return withRetries(ATTEMPTS, () => this.db.prisma.$transaction((tx) => work(new PrismaCaseUnit(tx, this.repos))));
  }
}

/** One open transaction, with every read and write the services' units name. */
export class PrismaCaseUnit implements CaseWorkflowUnit, OverdueUnit, CaseNotesUnit, FieldTaskUnit, EvidenceUnit {
  constructor(
    private readonly tx: Tx,
    private readonly repos: { cases: CaseRepository; audit: AuditRepository; evidence: EvidenceRepository },
  ) {}

  appendRecord(entries: NewAuditEntry[], at: Date): Promise<void> {
    return this.repos.audit.append(this.tx, entries, at);
  }

  findCase(id: string): Promise<CaseRecord | null> {
    return this.repos.cases.findById(this.tx, id);
  }

  findCaseByCandidate(candidateId: string): Promise<CaseRecord | null> {
    return this.repos.cases.findByCandidateId(this.tx, candidateId);
  }

  updateIfVersion(id: string, version: number, changes: CaseChanges): Promise<CaseRecord | null> {
    return this.repos.cases.updateIfVersion(this.tx, id, version, changes);
  }

  setFirstAccessCode(id: string, hash: string, at: Date): Promise<boolean> {
    return this.repos.cases.setFirstAccessCode(this.tx, id, hash, at);
  }

  async setAccessCode(caseId: string, hash: string, at: Date): Promise<void> {
    await this.tx.case.update({ where: { id: caseId }, data: { accessCodeHash: hash, accessCodeIssuedAt: at } });
  }

  eventCode(major: string, minor: string): Promise<EventCodeRule | null> {
    return this.repos.cases.eventCode(this.tx, major, minor);
  }

  rejectReason(code: string): Promise<RejectReasonRule | null> {
    return this.repos.cases.rejectReason(this.tx, code);
  }

  assignee(userId: string): Promise<Assignee | null> {
    return this.repos.cases.userWithCertificates(this.tx, userId);
  }

  async vendorExists(vendorId: string): Promise<boolean> {
    return (await this.tx.vendor.count({ where: { id: vendorId } })) > 0;
  }

  lockSubject(subjectKey: string): Promise<void> {
    return this.repos.cases.lockSubject(this.tx, subjectKey);
  }

  countSubjectViolations(subjectKey: string, since: Date, until: Date, excludeCaseId: string): Promise<number> {
    return this.repos.cases.countSubjectViolations(this.tx, subjectKey, since, until, excludeCaseId);
  }

  hasAccepted(caseId: string, userId: string): Promise<boolean> {
    return this.repos.cases.acceptedBy(this.tx, caseId, userId);
  }

  evidenceCount(candidateId: string, kind: string): Promise<number> {
    return this.repos.evidence.countOfKind(this.tx, candidateId, kind);
  }

  flagOverdue(now: Date): Promise<OverdueFlag[]> {
    return this.repos.cases.flagOverdue(this.tx, now);
  }

  async ownStatements(caseId: string, statementIds: string[]): Promise<string[]> {
    const own = await this.tx.partyStatement.findMany({ where: { caseId, id: { in: statementIds } }, select: { id: true } });
    return own.map((s) => s.id);
  }

  recordStoredEvidence(e: { sha256: string; bytes: number; contentType: string }): Promise<void> {
    return this.repos.evidence.recordStored(this.tx, e);
  }

  linkEvidence(l: { candidateId: string; sha256: string; kind: string; bytes: number; contentType: string }): Promise<boolean> {
    return this.repos.evidence.link(this.tx, l);
  }

  mergedInto(caseId: string): Promise<{ candidateId: string }[]> {
    return this.repos.cases.mergedInto(this.tx, caseId);
  }

  wasRecorded(candidateId: string, sha256: string): Promise<boolean> {
    return this.repos.evidence.wasRecorded(this.tx, candidateId, sha256);
  }

  linkTo(sha256: string, candidateIds: string[]): Promise<{ kind: string } | null> {
    return this.repos.evidence.isLinkedTo(this.tx, sha256, candidateIds);
  }

  evidenceFile(sha256: string): Promise<{ contentType: string; bytes: number } | null> {
    return this.repos.evidence.find(this.tx, sha256);
  }

  purgeable(cutoff: Date, limit: number): Promise<{ sha256: string; candidateIds: string[] }[]> {
    return this.repos.evidence.purgeable(this.tx, cutoff, limit);
  }

  forgetEvidence(sha256: string): Promise<void> {
    return this.repos.evidence.forget(this.tx, sha256);
  }
}
