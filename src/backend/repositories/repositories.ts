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
// People and cameras
import { UserRepository } from "./user.repository.ts";
import { SessionRepository } from "./session.repository.ts";
import { LoginThrottleRepository } from "./login-throttle.repository.ts";
import { CertificateRepository } from "./certificate.repository.ts";
import { ShopRepository } from "./shop.repository.ts";
import { VendorRepository } from "./vendor.repository.ts";
import { EventCodeRepository } from "./event-code.repository.ts";
import { RejectReasonRepository } from "./reject-reason.repository.ts";
import { CameraRepository } from "./camera.repository.ts";
import { EdgeRepository } from "./edge.repository.ts";
import { ZoneReferenceRepository } from "./zone-reference.repository.ts";

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
  // People and cameras
  users: UserRepository;
  sessions: SessionRepository;
  loginThrottle: LoginThrottleRepository;
  certificates: CertificateRepository;
  shops: ShopRepository;
  vendors: VendorRepository;
  eventCodes: EventCodeRepository;
  rejectReasons: RejectReasonRepository;
  cameras: CameraRepository;
  edges: EdgeRepository;
  zoneReferences: ZoneReferenceRepository;
}

export function createRepositories(db: Database): Repositories {
  // Stateless (they take the transaction per call): one each, shared by the bound repositories below.
  const audit = new AuditRepository();
  const cases = new CaseRepository();
  const deadLetters = new DeadLetterRepository();
  return {
    db,
    audit,
    cases,
    caseStore: new PrismaCaseStore(db),
    deadLetters,
    evidence: new EvidenceRepository(),
    ingest: new IngestRepository(),
    intakeOwnership: new IntakeOwnershipRepository(),
    // The read side and the public side (bound to the database):
    auditRecord: new AuditRecordRepository(db, audit),
    cameraOwnership: new CameraOwnershipRepository(db),
    caseReads: new CaseReadRepository(db, cases, audit),
    deadLetterReads: new DeadLetterReadRepository(db, deadLetters),
    publicCases: new PublicCaseRepository(db, audit),
    statistics: new StatisticsRepository(db),
    // People and cameras
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    loginThrottle: new LoginThrottleRepository(db),
    certificates: new CertificateRepository(db),
    shops: new ShopRepository(db),
    vendors: new VendorRepository(db),
    eventCodes: new EventCodeRepository(db),
    rejectReasons: new RejectReasonRepository(db),
    cameras: new CameraRepository(db),
    edges: new EdgeRepository(db),
    zoneReferences: new ZoneReferenceRepository(db),
  };
}
