import fs from "node:fs";
import type { Database } from "../db/database.ts";
import { DomainError } from "../domain/errors.ts";
import { tokenHash } from "../auth/opaque-token.ts";
import type { LoginThrottle } from "../auth/login-throttle.ts";
import { publicLookupKeys, SOURCE_ALLOWANCE_FACTOR } from "../auth/throttle-keys.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { caseNumber } from "../dtos/case.dto.ts";
import { outcomeLabels, type Outcome } from "../domain/outcome-rules.ts";
import type { EvidenceStore } from "./evidence-store.ts";
import type { NormalisedBox } from "./bystander-blur.ts";
import type { PublicImageRedactor } from "./public-image-redaction.ts";
import type { ChangeFeed } from "./change-feed.ts";
import sharp from "sharp";

/** Same answer for "no such case" and "wrong code", so case numbers cannot be enumerated. */
const NOT_FOUND = "no case matches this case number and access code";

const publicState: Record<string, string> = {
  confirmed: "受理 (registered)",
  dispatched: "处置中 (being handled)",
  handled: "已处置 (handled, under review)",
  verified: "已核查 (verified)",
  closed: "已结案 (closed)",
};

/**
 * What a party (当事人) may see and do with the case number and access code from their
 * notice: the facts, an evidence summary with people blurred, and a statement or defence
 * (陈述申辩). Never internal notes, reviewers, officers' identities or other cases.
 */
/** Blurred public snapshots kept in memory (oldest dropped first); a few hundred KB each. */
const BLURRED_CACHE_ENTRIES = 32;

export class PublicCaseService {
  private readonly blurred = new Map<string, Buffer>();
  private readonly audit = new AuditRepository();

  constructor(
    private db: Database,
    private store: EvidenceStore,
    private throttle: LoginThrottle,
    private redactor: PublicImageRedactor,
    private feed: ChangeFeed | null = null,
  ) {}

  private async find(number: string, accessCode: string, ip: string) {
    const n = /^CW-(\d{1,9})$/i.exec(number.trim())?.[1];
    const keys = publicLookupKeys(ip, n ?? "invalid");
    const wait = await this.throttle.waitSeconds([keys.pair, keys.source]);
    if (wait > 0) throw new DomainError("rate_limited", `too many failed look-ups; try again in ${wait} s`, undefined, wait);
    const c = n ? await this.db.prisma.case.findUnique({ where: { number: Number(n) } }) : null;
    const ok = c?.accessCodeHash && c.accessCodeHash === tokenHash(accessCode.trim().toUpperCase());
    if (!c || !ok) {
      await this.throttle.recordFailure([keys.pair]);
      await this.throttle.recordFailure([keys.source], undefined, this.throttle.freeFailures * SOURCE_ALLOWANCE_FACTOR);
      throw new DomainError("not_found", NOT_FOUND);
    }
    return c;
  }

  async lookup(number: string, accessCode: string, ip: string) {
    const c = await this.find(number, accessCode, ip);
    const [code, camera, evidence, statements] = await Promise.all([
      this.db.prisma.eventCode.findUnique({ where: { major_minor: { major: c.eventMajor, minor: c.eventMinor } } }),
      this.db.prisma.camera.findUnique({ where: { id: c.cameraId }, select: { address: true, street: true, district: true, locationPublishedAt: true } }),
      this.db.prisma.evidenceLink.findMany({
        where: { candidateId: c.candidateId },
        select: { kind: true, sha256: true, contentType: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
      this.db.prisma.partyStatement.findMany({ where: { caseId: c.id }, select: { submittedAt: true }, orderBy: { submittedAt: "asc" } }),
    ]);
    return {
      caseNumber: caseNumber(c.number),
      violation: { code: `${c.eventMajor}/${c.eventMinor}`, name: code?.name ?? null },
      place: {
        address: camera?.address ?? null,
        street: camera?.street ?? null,
        district: camera?.district ?? null,
        cameraLocationPublishedAt: camera?.locationPublishedAt ?? null,
      },
      observedFrom: c.startedAt,
      observedUntil: c.endedAt ?? c.lastSeenAt,
      state: publicState[c.state] ?? c.state,
      stateCode: c.state,
      outcome: c.outcome ? { code: c.outcome, label: outcomeLabels[c.outcome as Outcome] } : null,
      firstViolationNotPenalised: c.penaltyTreatment === "first_violation_education",
      evidence: evidence
        .filter((e) => !e.kind.endsWith("_annotated"))
        .map((e) => ({ kind: e.kind, contentType: e.contentType, sha256: e.sha256, recordedAt: e.createdAt })),
      snapshotAvailable: evidence.some((e) => e.kind.startsWith("snapshot") && e.contentType === "image/jpeg"),
      statements: statements.map((s) => ({ submittedAt: s.submittedAt })),
    };
  }

  /** The case's snapshot for the public: only the evidence objects sharp, every person and vehicle (found by the detector on this very image) pixelated. */
  async blurredSnapshot(number: string, accessCode: string, ip: string): Promise<Buffer> {
    const c = await this.find(number, accessCode, ip);
    const links = await this.db.prisma.evidenceLink.findMany({
      where: { candidateId: c.candidateId, kind: { in: ["snapshot_start", "snapshot_end"] }, contentType: "image/jpeg" },
      orderBy: { kind: "desc" },
    });
    const sha = links.map((l) => l.sha256).find((h) => fs.existsSync(this.store.pathOf(h)));
    if (!sha) throw new DomainError("not_found", "this case has no snapshot to show");
    const objects = ((c.objects as { role?: string; box?: number[] }[] | null) ?? []).filter((o) => Array.isArray(o.box) && o.box.length === 4);
    const isPrivate = (o: { role?: string }) => o.role === "person" || o.role === "vehicle";
    const people = objects.filter(isPrivate).map((o) => ({ box: o.box })) as NormalisedBox[];
    const evidenceObjects = objects.filter((o) => !isPrivate(o)).map((o) => ({ box: o.box })) as NormalisedBox[];
    // Evidence is content-addressed and immutable: the same file and boxes always blur the same,
    // so a party reloading the page does not cost ten more detector runs.
    const key = `${sha}|${JSON.stringify([people, evidenceObjects])}`;
    const cached = this.blurred.get(key);
    if (cached) return cached;
    const image = await fs.promises.readFile(this.store.pathOf(sha));
    const { width = 0, height = 0 } = await sharp(image).rotate().metadata();
    const out = await this.redactor.redact(image, evidenceObjects, people, { width, height });
    if (this.blurred.size >= BLURRED_CACHE_ENTRIES) this.blurred.delete(this.blurred.keys().next().value!);
    this.blurred.set(key, out);
    return out;
  }

  /** The party's statement/defence: stored on the case and appended to its full-process record. */
  async submitStatement(number: string, accessCode: string, ip: string, text: string, contact: string | undefined): Promise<{ submittedAt: string }> {
    const c = await this.find(number, accessCode, ip);
    const submittedAt = new Date();
    await this.db.prisma.$transaction(async (tx) => {
      const s = await tx.partyStatement.create({ data: { caseId: c.id, text, contact: contact ?? null, ip, submittedAt } });
      await this.audit.append(
        tx,
        [{ chain: c.candidateId, actorId: "party", action: "party.statement", caseId: c.id, after: { statementId: s.id, text, contact: contact ?? null } }],
        submittedAt,
      );
    });
    // The command center is told at once: the case shows the statement and the review queue flags it.
    this.feed?.publish([{ caseId: c.id, candidateId: c.candidateId, action: "statement", state: c.state }]);
    return { submittedAt: submittedAt.toISOString() };
  }

  /** Published camera locations and the violations each watches (Art. 41 行政处罚法). */
  async publishedCameras() {
    const [cams, codes] = await Promise.all([
      this.db.prisma.camera.findMany({ where: { locationPublishedAt: { not: null } }, orderBy: [{ district: "asc" }, { street: "asc" }, { name: "asc" }] }),
      this.db.prisma.eventCode.findMany(),
    ]);
    const nameOf = new Map(codes.map((c) => [`${c.major}/${c.minor}`, c.name]));
    return cams.map((c) => {
      const zones = (c.zones as { rules: { eventCode: { major: string; minor: string } }[] }[] | null) ?? [];
      const watched = [...new Set(zones.flatMap((z) => z.rules.map((r) => `${r.eventCode.major}/${r.eventCode.minor}`)))].sort();
      return {
        name: c.name,
        district: c.district,
        street: c.street,
        address: c.address,
        lat: c.lat,
        lng: c.lng,
        publishedAt: c.locationPublishedAt,
        watches: watched.map((code) => ({ code, name: nameOf.get(code) ?? null })),
      };
    });
  }
}
