import type { TrackedObject } from "../../contracts/candidate.ts";
import type { SituationEvent } from "../rules/situation.ts";

/** What `curbwatch replay` prints per candidate event. */
export interface ReplayLine {
  candidateId: string;
  seq: number;
  phase: "start" | "update" | "end";
  rule: string;
  ruleId: string;
  zone: string;
  shopId?: string;
  startSec: number;
  endSec: number;
  bestScore: number;
  boxes: TrackedObject[];
}

export function replayLine(ev: SituationEvent, seq: number): ReplayLine {
  const s = ev.situation;
  return {
    candidateId: s.candidateId,
    seq,
    phase: ev.phase,
    rule: s.rule.kind,
    ruleId: s.rule.id,
    zone: s.zone.id,
    ...(s.rule.kind === "shop_overflow" ? { shopId: s.rule.shopId } : {}),
    startSec: Math.round(s.videoStartSec * 10) / 10,
    endSec: Math.round(s.videoEndSec * 10) / 10,
    bestScore: Math.round(s.bestScore * 1000) / 1000,
    boxes: s.objects,
  };
}

export function formatReplayLine(l: ReplayLine): string {
  const objs = l.boxes.map((b) => `${b.label}#${b.trackId}@${b.score.toFixed(2)}`).join(" ");
  return `${l.phase.padEnd(6)} ${l.candidateId}  ${l.rule}/${l.zone}${l.shopId ? ` shop=${l.shopId}` : ""}  ${l.startSec.toFixed(1)}s–${l.endSec.toFixed(1)}s  best=${l.bestScore.toFixed(2)}  ${objs}`;
}
