import type { RejectReasonCode } from "./candidate-message.ts";
import type { RefusalReason } from "./intake-ownership.ts";
import { RecentCount } from "./recent-count.ts";
import { LatencyWindow } from "./latency-window.ts";

export type IntakeStage = "queued" | "begin" | "ownership" | "cases" | "record" | "commit" | "settle";

/** Counters of this replica's candidate consumer, served at /api/ingest/stats. */
export class IngestStats {
  received = 0;
  created = 0;
  updated = 0;
  /** Duplicates and out-of-order deliveries that changed nothing. */
  stale = 0;
  rejected: Record<RejectReasonCode, number> = { oversized: 0, not_json: 0, schema: 0, topic: 0, camera_mismatch: 0 };
  batches = 0;
  failedBatches = 0;
  lastBatchMs = 0;
  lastBatchSize = 0;
  pending = 0;
  /** Forged or misaddressed messages refused by the ownership check (nothing written). */
  refused: Record<RefusalReason, number> = { edge_mismatch: 0, edge_revoked: 0, foreign_case: 0 };
  /** Messages about a closed, merged or rejected case: recorded on it, not applied. */
  late = 0;
  /** Messages the database refused, set aside in the dead-letter table. */
  deadLettered = 0;
  /** Malformed, refused and dead-lettered messages per minute, for health. */
  readonly recentRejects = new RecentCount();
  /** When the oldest message not yet settled (waiting or in the batch being written) arrived; null when none. */
  oldestPendingAt: number | null = null;
  /**
   * Where intake time goes, summed over committed batches (ms): waiting in the batch queue
   * (oldest message of each batch), opening the transaction, the ownership check, the case
   * writes, the record, the commit, and the acks and change notices after it.
   */
  readonly stageMs: Record<IntakeStage, number> = { queued: 0, begin: 0, ownership: 0, cases: 0, record: 0, commit: 0, settle: 0 };
  /** Per message: arrival from the broker → its batch committed (recent messages). */
  readonly receivedToCommitted = new LatencyWindow();
  /** Since when batch writes have been failing without a success (database trouble); null when the last one succeeded. */
  failingSince: number | null = null;

  toJSON() {
    const rejectedTotal = Object.values(this.rejected).reduce((a, b) => a + b, 0);
    return {
      received: this.received,
      created: this.created,
      updated: this.updated,
      stale: this.stale,
      rejected: { total: rejectedTotal, ...this.rejected },
      batches: this.batches,
      failedBatches: this.failedBatches,
      lastBatchMs: this.lastBatchMs,
      lastBatchSize: this.lastBatchSize,
      pending: this.pending,
      refused: { total: Object.values(this.refused).reduce((a, b) => a + b, 0), ...this.refused },
      late: this.late,
      deadLettered: this.deadLettered,
      receivedToCommittedMs: (([p50, p99]) => ({ p50: Math.round(p50), p99: Math.round(p99) }))(this.receivedToCommitted.percentiles(50, 99)),
      stageMs: Object.fromEntries(Object.entries(this.stageMs).map(([k, v]) => [k, Math.round(v)])),
      oldestPendingAgeMs: this.oldestPendingAt === null ? 0 : Date.now() - this.oldestPendingAt,
    };
  }
}
