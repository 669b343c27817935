import type { CandidateEvent, EvidenceRef } from "../../contracts/candidate.ts";
import type { SituationEvent } from "../rules/situation.ts";

/**
 * The contract form of a situation event. Every message is cumulative (objects, best score,
 * all evidence so far), so the newest seq alone tells the whole story.
 */
export function candidateMessage(edgeId: string, ev: SituationEvent, seq: number, evidence: EvidenceRef[]): CandidateEvent {
  const s = ev.situation;
  return {
    schema: "curbwatch.candidate/v1",
    candidateId: s.candidateId,
    seq,
    phase: ev.phase,
    edgeId,
    cameraId: s.cameraId,
    zoneId: s.zone.id,
    ruleId: s.rule.id,
    rule: s.rule.kind,
    eventCode: s.rule.eventCode,
    ...(s.rule.kind === "shop_overflow" ? { shopId: s.rule.shopId } : {}),
    startedAt: new Date(s.startedAtMs).toISOString(),
    lastSeenAt: new Date(s.lastSeenMs).toISOString(),
    ...(s.endedAtMs !== undefined ? { endedAt: new Date(s.endedAtMs).toISOString() } : {}),
    videoStartSec: round2(s.videoStartSec),
    videoEndSec: round2(s.videoEndSec),
    bestScore: Math.round(s.bestScore * 1000) / 1000,
    objects: s.objects,
    evidence,
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
