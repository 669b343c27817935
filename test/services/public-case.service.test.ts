// Fast tests of the party's case look-up: no database, no HTTP, no detector.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { PublicCaseService } from "../../src/backend/services/public-case.service.ts";
import type { NormalisedBox } from "../../src/backend/services/bystander-blur.ts";
import type { CaseChange } from "../../src/backend/services/change-feed.ts";
import { evidencePath } from "../../src/backend/services/evidence-paths.ts";
import { tokenHash } from "../../src/backend/auth/opaque-token.ts";
import { publicLookupKeys } from "../../src/backend/auth/throttle-keys.ts";
import { DomainError } from "../../src/backend/domain/errors.ts";
import type { PublicCaseRow } from "../../src/backend/repositories/public-case.repository.ts";
import { InMemoryLookupThrottle, InMemoryPublicCases } from "../support/in-memory/in-memory-public-cases.ts";

const CODE = "ABCD234567";
const IP = "203.0.113.7";
const now = new Date("2026-11-20T08:00:00Z");

/** Stands in for the detector-backed redactor: the "public copy" names what it was asked to keep sharp and to pixelate. */
const redactor = {
  async redact(image: Buffer, evidence: NormalisedBox[], people: NormalisedBox[], size: { width: number; height: number }) {
    return Buffer.from(JSON.stringify({ bytes: image.length, evidence, people, size }));
  },
};

function aCase(over: Partial<PublicCaseRow> = {}): PublicCaseRow {
  return {
    id: "case-1",
    number: 42,
    candidateId: "cand-1",
    cameraId: "cam-1",
    eventMajor: "05",
    eventMinor: "01",
    state: "dispatched",
    outcome: null,
    penaltyTreatment: null,
    accessCodeHash: tokenHash(CODE),
    startedAt: new Date("2026-11-20T07:00:00Z"),
    lastSeenAt: new Date("2026-11-20T07:10:00Z"),
    endedAt: null,
    objects: [
      { role: "stall", box: [0.1, 0.1, 0.4, 0.5] },
      { role: "person", box: [0.5, 0.2, 0.6, 0.6] },
      { role: "vehicle", box: [0.7, 0.5, 0.9, 0.8] },
      { role: "person" },
    ],
    ...over,
  };
}

async function domainErrorOf(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("public case look-up", () => {
  const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-public-"));
  const store = { pathOf: (sha: string) => evidencePath(evidenceDir, sha) };
  let cases: InMemoryPublicCases;
  let throttle: InMemoryLookupThrottle;
  let changes: CaseChange[];
  let service: PublicCaseService;

  beforeEach(() => {
    cases = new InMemoryPublicCases();
    cases.cases.push(aCase());
    cases.cameras.push({ id: "cam-1", address: "人民路 1 号", street: "人民路", district: "东城区", locationPublishedAt: new Date("2026-01-01T00:00:00Z") });
    cases.eventCodes.set("05/01", "店外经营");
    throttle = new InMemoryLookupThrottle(3);
    changes = [];
    service = new PublicCaseService(cases, store, throttle, redactor, { publish: (c) => changes.push(...c) }, () => now);
  });
  afterAll(() => fs.rmSync(evidenceDir, { recursive: true, force: true }));

  it("answers a wrong code exactly as an unknown number, and counts the failure per case and address and per address", async () => {
    const wrong = await domainErrorOf(service.lookup("CW-000042", "WRONGCODE1", IP));
    const unknown = await domainErrorOf(service.lookup("CW-000099", CODE, IP));
    expect(wrong.kind).toBe("not_found");
    expect(wrong.message).toBe(unknown.message);
    const keys = publicLookupKeys(IP, "000042");
    expect(throttle.failures.get(keys.pair)).toBe(1);
    expect(throttle.failures.get(keys.source)).toBe(2);
  });

  it("refuses even the right code once the address used up its wrong tries on the case", async () => {
    for (let i = 0; i < 3; i++) await domainErrorOf(service.lookup("CW-000042", `WRONGCODE${i}`, IP));
    const locked = await domainErrorOf(service.lookup("CW-000042", CODE, IP));
    expect(locked.kind).toBe("rate_limited");
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not held back by this one's guessing.
    await expect(service.lookup("CW-000042", CODE, "198.51.100.1")).resolves.toMatchObject({ caseNumber: "CW-000042" });
  });

  it("shows the party the public facts only, for the code as typed from the notice", async () => {
    cases.evidence.push(
      { candidateId: "cand-1", kind: "snapshot_start", sha256: "a".repeat(64), contentType: "image/jpeg", createdAt: new Date("2026-11-20T07:00:01Z") },
      {
        candidateId: "cand-1",
        kind: "snapshot_start_annotated",
        sha256: "b".repeat(64),
        contentType: "image/jpeg",
        createdAt: new Date("2026-11-20T07:00:02Z"),
      },
      { candidateId: "other", kind: "clip", sha256: "c".repeat(64), contentType: "video/mp4", createdAt: new Date("2026-11-20T07:00:03Z") },
    );
    const seen = await service.lookup(" cw-42 ", ` ${CODE.toLowerCase()} `, IP);
    expect(Object.keys(seen).sort()).toEqual(
      [
        "caseNumber",
        "evidence",
        "firstViolationNotPenalised",
        "observedFrom",
        "observedUntil",
        "outcome",
        "place",
        "snapshotAvailable",
        "state",
        "stateCode",
        "statements",
        "violation",
      ].sort(),
    );
    expect(seen).toMatchObject({
      caseNumber: "CW-000042",
      violation: { code: "05/01", name: "店外经营" },
      place: { street: "人民路", district: "东城区" },
      state: "处置中 (being handled)",
      observedUntil: new Date("2026-11-20T07:10:00Z"),
      outcome: null,
      snapshotAvailable: true,
    });
    // The annotated copy (detector boxes) and other cases' evidence are not the party's to see.
    expect(seen.evidence.map((e) => e.sha256)).toEqual(["a".repeat(64)]);
    const text = JSON.stringify(seen);
    for (const internal of ["cand-1", "cam-1", "accessCodeHash", tokenHash(CODE), "objects"]) expect(text).not.toContain(internal);
  });

  it("serves the snapshot with people and vehicles pixelated and only the evidence objects sharp", async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#808080" } })
      .jpeg()
      .toBuffer();
    const sha = "d".repeat(64);
    fs.mkdirSync(path.dirname(store.pathOf(sha)), { recursive: true });
    fs.writeFileSync(store.pathOf(sha), jpeg);
    // A link whose file is gone is skipped, not served.
    cases.evidence.push(
      { candidateId: "cand-1", kind: "snapshot_end", sha256: "e".repeat(64), contentType: "image/jpeg", createdAt: now },
      { candidateId: "cand-1", kind: "snapshot_start", sha256: sha, contentType: "image/jpeg", createdAt: now },
    );
    const served = JSON.parse((await service.blurredSnapshot("CW-000042", CODE, IP)).toString()) as {
      bytes: number;
      evidence: NormalisedBox[];
      people: NormalisedBox[];
      size: { width: number; height: number };
    };
    expect(served.bytes).toBe(jpeg.length);
    expect(served.size).toEqual({ width: 64, height: 48 });
    expect(served.evidence).toEqual([{ box: [0.1, 0.1, 0.4, 0.5] }]);
    expect(served.people).toEqual([{ box: [0.5, 0.2, 0.6, 0.6] }, { box: [0.7, 0.5, 0.9, 0.8] }]);
  });

  it("says so when the case has no snapshot file to show", async () => {
    cases.evidence.push({ candidateId: "cand-1", kind: "snapshot_start", sha256: "f".repeat(64), contentType: "image/jpeg", createdAt: now });
    expect((await domainErrorOf(service.blurredSnapshot("CW-000042", CODE, IP))).kind).toBe("not_found");
  });

  it("keeps the party's statement with the case's record and tells the command center", async () => {
    const r = await service.submitStatement("CW-000042", CODE, IP, "摊位已撤离", undefined);
    expect(r).toEqual({ submittedAt: now.toISOString() });
    expect(cases.statements).toEqual([{ caseId: "case-1", chain: "cand-1", text: "摊位已撤离", contact: null, ip: IP, at: now }]);
    expect(cases.record).toEqual([{ chain: "cand-1", actorId: "party", action: "party.statement", at: now }]);
    expect(changes).toEqual([{ caseId: "case-1", candidateId: "cand-1", action: "statement", state: "dispatched" }]);
    expect((await service.lookup("CW-000042", CODE, IP)).statements).toEqual([{ submittedAt: now }]);
  });

  it("stores nothing for a statement with a wrong code", async () => {
    await domainErrorOf(service.submitStatement("CW-000042", "WRONGCODE1", IP, "text", undefined));
    expect(cases.statements).toEqual([]);
    expect(changes).toEqual([]);
  });

  it("lists published cameras with the violations their zones watch, by name", async () => {
    cases.eventCodes.set("05/02", "流动摊贩");
    cases.published.push({
      name: "人民路口",
      district: "东城区",
      street: "人民路",
      address: null,
      lat: 30.1,
      lng: 120.2,
      locationPublishedAt: new Date("2026-01-01T00:00:00Z"),
      zones: [
        { rules: [{ eventCode: { major: "05", minor: "02" } }, { eventCode: { major: "05", minor: "01" } }] },
        { rules: [{ eventCode: { major: "05", minor: "02" } }, { eventCode: { major: "09", minor: "09" } }] },
      ],
    });
    const [camera] = await service.publishedCameras();
    expect(camera.watches).toEqual([
      { code: "05/01", name: "店外经营" },
      { code: "05/02", name: "流动摊贩" },
      { code: "09/09", name: null },
    ]);
  });
});
