import { createHash } from "node:crypto";
import type { CandidateEvent } from "../src/contracts/index.ts";

/** The first message of a street-vending situation, as the intake benchmarks offer it. */
export function benchCandidate(edgeId: string, cameraId: string, candidateId: string): CandidateEvent {
  const now = new Date().toISOString();
  return {
    schema: "curbwatch.candidate/v1",
    candidateId,
    seq: 0,
    phase: "start",
    edgeId,
    cameraId,
    zoneId: "zone-1",
    ruleId: "vending",
    rule: "street_vending",
    eventCode: { major: "05", minor: "01" },
    startedAt: now,
    lastSeenAt: now,
    bestScore: 0.82,
    objects: [
      { trackId: 1, label: "person", role: "person", score: 0.82, box: [0.31, 0.4, 0.38, 0.71] },
      { trackId: 2, label: "umbrella", role: "vending_gear", score: 0.64, box: [0.28, 0.3, 0.45, 0.45] },
    ],
    // Each situation's snapshot is a different file, as on a real edge.
    evidence: [{ kind: "snapshot_start", sha256: createHash("sha256").update(candidateId).digest("hex"), bytes: 123456, contentType: "image/jpeg" }],
  };
}
