import type { Database } from "../db/database.ts";
import type { AuditRepository } from "./audit.repository.ts";

/** What the public side may know of a case (and the hash its access code is checked against). */
export interface PublicCaseRow {
  id: string;
  number: number;
  candidateId: string;
  cameraId: string;
  eventMajor: string;
  eventMinor: string;
  state: string;
  outcome: string | null;
  penaltyTreatment: string | null;
  accessCodeHash: string | null;
  startedAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  /** The detector's objects on the case ({role, box} each). */
  objects: unknown;
}

const publicCaseColumns = {
  id: true,
  number: true,
  candidateId: true,
  cameraId: true,
  eventMajor: true,
  eventMinor: true,
  state: true,
  outcome: true,
  penaltyTreatment: true,
  accessCodeHash: true,
  startedAt: true,
  lastSeenAt: true,
  endedAt: true,
  objects: true,
} as const;

/** A zone of a camera as stored, reduced to what the published list reads: the event codes its rules report. */
export interface WatchedZone {
  rules: { eventCode: { major: string; minor: string } }[];
}

export interface PublishedCameraRow {
  name: string;
  district: string | null;
  street: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  locationPublishedAt: Date | null;
  zones: WatchedZone[];
}

export interface NewPartyStatement {
  caseId: string;
  /** The case's record chain (its candidateId). */
  chain: string;
  text: string;
  contact: string | null;
  ip: string;
  at: Date;
}

/** What the public side reads of a case, and the party's statement it writes (with its record entry). */
export class PublicCaseRepository {
  constructor(
    private db: Database,
    private audit: AuditRepository,
  ) {}

  byNumber(number: number): Promise<PublicCaseRow | null> {
    return this.db.prisma.case.findUnique({ where: { number }, select: publicCaseColumns });
  }

  async eventCodeName(major: string, minor: string): Promise<string | null> {
    const code = await this.db.prisma.eventCode.findUnique({ where: { major_minor: { major, minor } }, select: { name: true } });
    return code?.name ?? null;
  }

  /** Event code "05/01" → its name, for every code. */
  async eventCodeNames(): Promise<Map<string, string>> {
    const codes = await this.db.prisma.eventCode.findMany({ select: { major: true, minor: true, name: true } });
    return new Map(codes.map((c) => [`${c.major}/${c.minor}`, c.name]));
  }

  cameraPlace(id: string): Promise<{ address: string | null; street: string | null; district: string | null; locationPublishedAt: Date | null } | null> {
    return this.db.prisma.camera.findUnique({ where: { id }, select: { address: true, street: true, district: true, locationPublishedAt: true } });
  }

  /** The evidence linked to a candidate, oldest first. */
  evidenceOf(candidateId: string): Promise<{ kind: string; sha256: string; contentType: string; createdAt: Date }[]> {
    return this.db.prisma.evidenceLink.findMany({
      where: { candidateId },
      select: { kind: true, sha256: true, contentType: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    });
  }

  /** When the party's statements on the case were submitted, oldest first. */
  statementTimes(caseId: string): Promise<{ submittedAt: Date }[]> {
    return this.db.prisma.partyStatement.findMany({ where: { caseId }, select: { submittedAt: true }, orderBy: { submittedAt: "asc" } });
  }

  /** The candidate's JPEG snapshots, end before start. */
  async snapshotHashes(candidateId: string): Promise<string[]> {
    const links = await this.db.prisma.evidenceLink.findMany({
      where: { candidateId, kind: { in: ["snapshot_start", "snapshot_end"] }, contentType: "image/jpeg" },
      orderBy: { kind: "desc" },
      select: { sha256: true },
    });
    return links.map((l) => l.sha256);
  }

  /** Stores the statement and appends it to the case's record, in one transaction. */
  async addStatement(s: NewPartyStatement): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const row = await tx.partyStatement.create({ data: { caseId: s.caseId, text: s.text, contact: s.contact, ip: s.ip, submittedAt: s.at } });
      await this.audit.append(
        tx,
        [{ chain: s.chain, actorId: "party", action: "party.statement", caseId: s.caseId, after: { statementId: row.id, text: s.text, contact: s.contact } }],
        s.at,
      );
    });
  }

  /** Cameras whose location is published, by district, street and name. */
  async publishedCameras(): Promise<PublishedCameraRow[]> {
    const cams = await this.db.prisma.camera.findMany({
      where: { locationPublishedAt: { not: null } },
      orderBy: [{ district: "asc" }, { street: "asc" }, { name: "asc" }],
      select: { name: true, district: true, street: true, address: true, lat: true, lng: true, locationPublishedAt: true, zones: true },
    });
    return cams.map((c) => ({ ...c, zones: (c.zones as WatchedZone[] | null) ?? [] }));
  }
}
