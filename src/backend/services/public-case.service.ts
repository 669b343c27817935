import fs from "node:fs";
import { DomainError } from "../domain/errors.ts";
import { tokenHash } from "../auth/opaque-token.ts";
import type { LoginThrottle } from "../auth/login-throttle.ts";
import { publicLookupKeys, SOURCE_ALLOWANCE_FACTOR } from "../auth/throttle-keys.ts";
import type { PublicCaseRepository, PublicCaseRow } from "../repositories/public-case.repository.ts";
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

/** Blurred public snapshots kept in memory (oldest dropped first); a few hundred KB each. */
const BLURRED_CACHE_ENTRIES = 32;

/** What the public side reads and writes: the public-case repository's methods (an in-memory store in unit tests). */
export type PublicCaseStore = { [K in keyof PublicCaseRepository]: PublicCaseRepository[K] };
/** The back-off on wrong access codes, per case number and address and per address. */
export type LookupThrottle = Pick<LoginThrottle, "freeFailures" | "waitSeconds" | "recordFailure">;

/**
 * What a party (当事人) may see and do with the case number and access code from their
 * notice: the facts, an evidence summary with people blurred, and a statement or defence
 * (陈述申辩). Never internal notes, reviewers, officers' identities or other cases.
 */
export class PublicCaseService {
  private readonly blurred = new Map<string, Buffer>();

  constructor(
    private cases: PublicCaseStore,
    private store: Pick<EvidenceStore, "pathOf">,
    private throttle: LookupThrottle,
    private redactor: Pick<PublicImageRedactor, "redact">,
    private feed: Pick<ChangeFeed, "publish"> | null = null,
    private clock: () => Date = () => new Date(),
  ) {}

  private async find(number: string, accessCode: string, ip: string): Promise<PublicCaseRow> {
    const n = /^CW-(\d{1,9})$/i.exec(number.trim())?.[1];
    const keys = publicLookupKeys(ip, n ?? "invalid");
    const wait = await this.throttle.waitSeconds([keys.pair, keys.source]);
    if (wait > 0) throw new DomainError("rate_limited", `too many failed look-ups; try again in ${wait} s`, undefined, wait);
    const c = n ? await this.cases.byNumber(Number(n)) : null;
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
    const [codeName, camera, evidence, statements] = await Promise.all([
      this.cases.eventCodeName(c.eventMajor, c.eventMinor),
      this.cases.cameraPlace(c.cameraId),
      this.cases.evidenceOf(c.candidateId),
      this.cases.statementTimes(c.id),
    ]);
    return {
      caseNumber: caseNumber(c.number),
      violation: { code: `${c.eventMajor}/${c.eventMinor}`, name: codeName },
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
    const hashes = await this.cases.snapshotHashes(c.candidateId);
    const sha = hashes.find((h) => fs.existsSync(this.store.pathOf(h)));
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
    const submittedAt = this.clock();
    await this.cases.addStatement({ caseId: c.id, chain: c.candidateId, text, contact: contact ?? null, ip, at: submittedAt });
    // The command center is told at once: the case shows the statement and the review queue flags it.
    this.feed?.publish([{ caseId: c.id, candidateId: c.candidateId, action: "statement", state: c.state }]);
    return { submittedAt: submittedAt.toISOString() };
  }

  /** Published camera locations and the violations each watches (Art. 41 行政处罚法). */
  async publishedCameras() {
    const [cams, nameOf] = await Promise.all([this.cases.publishedCameras(), this.cases.eventCodeNames()]);
    return cams.map((c) => {
      const watched = [...new Set(c.zones.flatMap((z) => z.rules.map((r) => `${r.eventCode.major}/${r.eventCode.minor}`)))].sort();
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
