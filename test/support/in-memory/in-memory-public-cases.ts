import type { LookupThrottle, PublicCaseStore } from "../../../src/backend/services/public-case.service.ts";
import type { NewPartyStatement, PublicCaseRow, PublishedCameraRow } from "../../../src/backend/repositories/public-case.repository.ts";

export interface StoredEvidenceLink {
  candidateId: string;
  kind: string;
  sha256: string;
  contentType: string;
  createdAt: Date;
}

export interface StoredCameraPlace {
  id: string;
  address: string | null;
  street: string | null;
  district: string | null;
  locationPublishedAt: Date | null;
}

/** The public side's data in memory: cases by number, cameras, evidence links, statements (with their record entries). */
export class InMemoryPublicCases implements PublicCaseStore {
  readonly cases: PublicCaseRow[] = [];
  readonly cameras: StoredCameraPlace[] = [];
  readonly published: PublishedCameraRow[] = [];
  readonly evidence: StoredEvidenceLink[] = [];
  readonly eventCodes = new Map<string, string>();
  readonly statements: NewPartyStatement[] = [];
  /** What the case records say: one entry per statement, on the case's chain. */
  readonly record: { chain: string; actorId: string; action: string; at: Date }[] = [];

  async byNumber(number: number): Promise<PublicCaseRow | null> {
    return this.cases.find((c) => c.number === number) ?? null;
  }

  async eventCodeName(major: string, minor: string): Promise<string | null> {
    return this.eventCodes.get(`${major}/${minor}`) ?? null;
  }

  async eventCodeNames(): Promise<Map<string, string>> {
    return new Map(this.eventCodes);
  }

  async cameraPlace(id: string) {
    const c = this.cameras.find((x) => x.id === id);
    return c ? { address: c.address, street: c.street, district: c.district, locationPublishedAt: c.locationPublishedAt } : null;
  }

  async evidenceOf(candidateId: string) {
    return this.evidence
      .filter((e) => e.candidateId === candidateId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map(({ kind, sha256, contentType, createdAt }) => ({ kind, sha256, contentType, createdAt }));
  }

  async statementTimes(caseId: string) {
    return this.statements
      .filter((s) => s.caseId === caseId)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((s) => ({ submittedAt: s.at }));
  }

  async snapshotHashes(candidateId: string): Promise<string[]> {
    return this.evidence
      .filter((e) => e.candidateId === candidateId && (e.kind === "snapshot_start" || e.kind === "snapshot_end") && e.contentType === "image/jpeg")
      .sort((a, b) => b.kind.localeCompare(a.kind))
      .map((e) => e.sha256);
  }

  async addStatement(s: NewPartyStatement): Promise<void> {
    this.statements.push(s);
    this.record.push({ chain: s.chain, actorId: "party", action: "party.statement", at: s.at });
  }

  async publishedCameras(): Promise<PublishedCameraRow[]> {
    return this.published.filter((c) => c.locationPublishedAt !== null);
  }
}

/** Failed look-ups counted per key; a key is locked once its failures reach its allowance (as LoginThrottle does). */
export class InMemoryLookupThrottle implements LookupThrottle {
  readonly failures = new Map<string, number>();
  private readonly allowance = new Map<string, number>();

  constructor(
    readonly freeFailures: number,
    private lockSeconds = 60,
  ) {}

  async waitSeconds(keys: string[]): Promise<number> {
    return keys.some((k) => (this.failures.get(k) ?? 0) >= (this.allowance.get(k) ?? this.freeFailures)) ? this.lockSeconds : 0;
  }

  async recordFailure(keys: string[], _now?: Date, freeFailures = this.freeFailures): Promise<void> {
    for (const k of keys) {
      this.failures.set(k, (this.failures.get(k) ?? 0) + 1);
      this.allowance.set(k, freeFailures);
    }
  }
}
