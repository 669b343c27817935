import type { Database } from "../db/database.ts";
import { AuditRepository } from "./audit.repository.ts";
import { CaseRepository } from "./case.repository.ts";
import { PrismaCaseStore } from "./case-store.ts";
import { DeadLetterRepository } from "./dead-letter.repository.ts";
import { EvidenceRepository } from "./evidence.repository.ts";
import { IngestRepository } from "./ingest.repository.ts";
import { IntakeOwnershipRepository } from "./intake-ownership.repository.ts";
import { AuditRecordRepository } from "./audit-record.repository.ts";
import { CameraOwnershipRepository } from "./camera-ownership.repository.ts";
import { CaseReadRepository } from "./case-read.repository.ts";
import { DeadLetterReadRepository } from "./dead-letter-read.repository.ts";
import { PublicCaseRepository } from "./public-case.repository.ts";
import { StatisticsRepository } from "./statistics.repository.ts";

/** Every repository of one back end, over its one database (built by the composition root). */
export interface Repositories {
  db: Database;
  audit: AuditRepository;
  cases: CaseRepository;
  /** The case workflow's units of work (workflow, overdue sweep, notes, field tasks, evidence). */
  caseStore: PrismaCaseStore;
  deadLetters: DeadLetterRepository;
  evidence: EvidenceRepository;
  ingest: IngestRepository;
  intakeOwnership: IntakeOwnershipRepository;
  // The read side and the public side (bound to the database):
  auditRecord: AuditRecordRepository;
  cameraOwnership: CameraOwnershipRepository;
  caseReads: CaseReadRepository;
  deadLetterReads: DeadLetterReadRepository;
  publicCases: PublicCaseRepository;
  statistics: StatisticsRepository;
}

export function createRepositories(db: Database): Repositories {
  return {
    db,
    audit: new AuditRepository(),
    cases: new CaseRepository(),
    caseStore: new PrismaCaseStore(db),
    deadLetters: new DeadLetterRepository(),
    evidence: new EvidenceRepository(),
    ingest: new IngestRepository(),
    intakeOwnership: new IntakeOwnershipRepository(),
    // The read side and the public side (bound to the database; the repositories they use hold no state):
    auditRecord: new AuditRecordRepository(db, new AuditRepository()),
    cameraOwnership: new CameraOwnershipRepository(db),
    caseReads: new CaseReadRepository(db, new CaseRepository(), new AuditRepository()),
    deadLetterReads: new DeadLetterReadRepository(db, new DeadLetterRepository()),
    publicCases: new PublicCaseRepository(db, new AuditRepository()),
    statistics: new StatisticsRepository(db),
  };
}
