import type { CandidateEvent } from "../../contracts/index.ts";
import type { CameraStanding } from "../domain/penalty-evidence.ts";

/** A stored case as the ownership check sees it. */
export interface KnownCase {
  id: string;
  cameraId: string;
  state: string;
  /** The newest edge message applied to it, when read from storage. */
  seq?: number;
  phase?: string;
}

export interface OwnershipFacts {
  /** Cases that already exist, by candidateId. */
  cases: Map<string, KnownCase>;
  /** Registered cameras and the edge each is assigned to (null: none). Unregistered cameras are absent. */
  cameraOwners: Map<string, string | null>;
  /** Edges among those owners whose credentials were revoked. */
  revokedEdges: ReadonlySet<string>;
  /** Legal standing of each registered camera (for whether its evidence may support a penalty). */
  cameraStandings?: Map<string, CameraStanding>;
  /** The record's chain head of each candidate (its chain), locked; null when it has none yet. */
  chainHeads?: ReadonlyMap<string, { seq: number; hash: string } | null>;
}

export type RefusalReason = "edge_mismatch" | "edge_revoked" | "foreign_case";

export type OwnershipVerdict =
  | { kind: "apply" }
  /** The case is finished: the message is recorded on it, never applied. */
  | { kind: "late"; case: KnownCase }
  | { kind: "refused"; reason: RefusalReason; detail: string };

/** A closed, merged or rejected case is settled; what an edge says about it later must not change it. */
export const FINISHED_CASE_STATES: ReadonlySet<string> = new Set(["closed", "merged", "rejected"]);

/**
 * May this message change what is stored? The broker lets an edge publish only on its own
 * cameras' topics and ingest already refused a payload camera that is not the topic's, so
 * the message's camera is authenticated; from it follow the rules:
 * - the payload's edgeId must be the edge the registry assigns that camera to (the edge
 *   named in the record is then the one that really sent it);
 * - an existing case may be updated only through its own camera (a candidateId of another
 *   camera is a forgery, whatever its seq);
 * - a revoked edge's messages still in flight are refused;
 * - a finished case is never changed.
 * A camera the registry does not know has no owner to compare with; only an open
 * development broker lets such a message through (both CurbWatch broker policies refuse it).
 */
export function judgeOwnership(e: CandidateEvent, facts: OwnershipFacts): OwnershipVerdict {
  if (facts.cameraOwners.has(e.cameraId)) {
    const owner = facts.cameraOwners.get(e.cameraId) ?? null;
    if (owner !== e.edgeId) {
      return {
        kind: "refused",
        reason: "edge_mismatch",
        detail: `camera ${e.cameraId} is assigned to ${owner ? `edge ${owner}` : "no edge"}, not to ${e.edgeId}`,
      };
    }
    // Sent before the revocation reached the broker, delivered after it: still refused.
    if (facts.revokedEdges.has(owner)) return { kind: "refused", reason: "edge_revoked", detail: `edge ${owner} was revoked` };
  }
  const existing = facts.cases.get(e.candidateId);
  if (existing && existing.cameraId !== e.cameraId) {
    return { kind: "refused", reason: "foreign_case", detail: `candidate ${e.candidateId} belongs to camera ${existing.cameraId}, not ${e.cameraId}` };
  }
  if (existing && FINISHED_CASE_STATES.has(existing.state)) return { kind: "late", case: existing };
  return { kind: "apply" };
}

/**
 * Verdicts for a batch in arrival order. A candidateId that no case holds yet is claimed by
 * the first message that names it, so a message of another camera later in the same batch
 * is refused exactly as it would be one batch later.
 */
export function judgeBatch(events: CandidateEvent[], facts: OwnershipFacts): OwnershipVerdict[] {
  const cases = new Map(facts.cases);
  return events.map((e) => {
    const verdict = judgeOwnership(e, { ...facts, cases });
    if (verdict.kind === "apply" && !cases.has(e.candidateId))
      cases.set(e.candidateId, { id: "(new in this batch)", cameraId: e.cameraId, state: "candidate" });
    return verdict;
  });
}
