import { MAX_CANDIDATE_PAYLOAD_BYTES, candidateEventSchema, parseTopic, type CandidateEvent, type EvidenceRef } from "../../contracts/index.ts";

export type RejectReasonCode = "oversized" | "not_json" | "schema" | "topic" | "camera_mismatch";

export type ParsedCandidate = { ok: true; event: CandidateEvent } | { ok: false; reason: RejectReasonCode; detail: string };

/**
 * Validation of one MQTT candidate message, in the order that costs least:
 * size before parsing, JSON before schema, and the topic's camera must be the payload's.
 */
export function parseCandidateMessage(topic: string, payload: Buffer): ParsedCandidate {
  if (payload.length > MAX_CANDIDATE_PAYLOAD_BYTES) {
    return { ok: false, reason: "oversized", detail: `${payload.length} bytes > ${MAX_CANDIDATE_PAYLOAD_BYTES}` };
  }
  const parsedTopic = parseTopic(topic);
  if (!parsedTopic || parsedTopic.kind !== "cameraCandidate") return { ok: false, reason: "topic", detail: `not a candidate topic: ${topic}` };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString("utf8"));
  } catch (err) {
    return { ok: false, reason: "not_json", detail: (err as Error).message };
  }
  const r = candidateEventSchema.safeParse(json);
  if (!r.success) {
    const detail = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    return { ok: false, reason: "schema", detail };
  }
  if (r.data.cameraId !== parsedTopic.cameraId) {
    return { ok: false, reason: "camera_mismatch", detail: `topic camera ${parsedTopic.cameraId} ≠ payload camera ${r.data.cameraId}` };
  }
  return { ok: true, event: r.data };
}

export interface CoalescedCandidate {
  /** The newest message of this candidate in the batch. */
  event: CandidateEvent;
  /** Every seq seen in the batch (for the record). */
  seqs: number[];
  /** Evidence named by any message of the batch, deduplicated. */
  evidence: EvidenceRef[];
}

/** Several messages of one situation in one batch become one write: the highest seq wins. */
export function coalesceBySituation(events: CandidateEvent[]): CoalescedCandidate[] {
  const by = new Map<string, CoalescedCandidate>();
  for (const e of events) {
    const cur = by.get(e.candidateId);
    if (!cur) {
      by.set(e.candidateId, { event: e, seqs: [e.seq], evidence: [...e.evidence] });
      continue;
    }
    cur.seqs.push(e.seq);
    if (e.seq > cur.event.seq) cur.event = e;
    for (const ref of e.evidence) {
      if (!cur.evidence.some((x) => x.sha256 === ref.sha256 && x.kind === ref.kind)) cur.evidence.push(ref);
    }
  }
  return [...by.values()].sort((a, b) => (a.event.candidateId < b.event.candidateId ? -1 : 1));
}
