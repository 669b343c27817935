import type { RejectReasonCode } from "./candidate-message.ts";

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
    };
  }
}
