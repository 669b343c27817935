import type { CandidateEvent } from "../../contracts/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../../shared/logger.ts";
import { AuditRepository, type NewAuditEntry } from "../repositories/audit.repository.ts";
import { IngestRepository, type AppliedCandidate } from "../repositories/ingest.repository.ts";
import { withRetries } from "../repositories/tx.ts";
import type { ChangeFeed } from "../services/change-feed.ts";
import { coalesceBySituation } from "./candidate-message.ts";
import type { Ack } from "./deferred-ack.ts";
import type { IngestStats } from "./ingest-stats.ts";

interface Pending {
  event: CandidateEvent;
  ack: Ack;
}

/**
 * Collects valid candidate messages for a few milliseconds and writes them in one
 * transaction (cases, evidence links, audit entries), then acks them. One batch is in
 * flight at a time; while it commits the next one fills up, so load raises batch size
 * rather than latency.
 */
export class CandidateBatchWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private readonly ingest = new IngestRepository();
  private readonly audit = new AuditRepository();
  /** Called with every message of a batch once its transaction has committed (the end-to-end ack). */
  onCommitted?: (events: CandidateEvent[]) => void;

  constructor(
    private db: Database,
    private feed: ChangeFeed,
    private stats: IngestStats,
    private log: Logger,
    private opts: { maxMessages: number; maxWaitMs: number },
  ) {}

  add(event: CandidateEvent, ack: Ack): void {
    this.pending.push({ event, ack });
    this.stats.pending = this.pending.length;
    if (this.pending.length >= this.opts.maxMessages) this.kick(0);
    else this.kick(this.opts.maxWaitMs);
  }

  /** Writes what is pending and waits for it; used on shutdown. */
  async drain(): Promise<void> {
    while (this.writing || this.pending.length) {
      if (!this.writing) this.kick(0);
      await this.writing;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private kick(delayMs: number): void {
    if (this.writing || this.stopped) return;
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writeNext().finally(() => {
        this.writing = null;
        if (this.pending.length && !this.stopped) this.kick(this.failures ? Math.min(10_000, 250 * 2 ** this.failures) : 0);
      });
    }, delayMs);
  }

  private async writeNext(): Promise<void> {
    const batch = this.pending.splice(0, this.opts.maxMessages);
    if (batch.length === 0) return;
    const started = Date.now();
    const items = coalesceBySituation(batch.map((p) => p.event));
    let applied: AppliedCandidate[];
    try {
      const result = await withRetries(5, () =>
        this.db.prisma.$transaction(
          async (tx) => {
            const r = await this.ingest.applyBatch(tx, items);
            await this.audit.append(tx, r.applied.map(auditEntryFor));
            return r;
          },
          { timeout: 30_000, maxWait: 30_000 },
        ),
      );
      applied = result.applied;
      this.stats.stale += result.stale;
    } catch (err) {
      // Not acked, so nothing is lost: keep the messages at the front and retry with backoff.
      this.failures++;
      this.stats.failedBatches++;
      this.pending.unshift(...batch);
      this.stats.pending = this.pending.length;
      this.log.error({ err, size: batch.length, failures: this.failures }, "candidate batch write failed; will retry");
      return;
    }
    this.failures = 0;
    for (const p of batch) p.ack();
    this.onCommitted?.(batch.map((p) => p.event));
    for (const a of applied) a.created ? this.stats.created++ : this.stats.updated++;
    this.stats.batches++;
    this.stats.lastBatchMs = Date.now() - started;
    this.stats.lastBatchSize = batch.length;
    this.stats.pending = this.pending.length;
    this.feed.publish(applied.map((a) => ({ caseId: a.caseId, candidateId: a.candidateId, action: a.created ? "reported" : "updated" })));
  }
}

function auditEntryFor(a: AppliedCandidate): NewAuditEntry {
  const e = a.item.event;
  return {
    chain: a.candidateId,
    actorId: `edge:${e.edgeId}`,
    action: a.created ? "candidate.reported" : "candidate.updated",
    caseId: a.caseId,
    before: a.before,
    after: {
      seq: e.seq,
      phase: e.phase,
      seqsApplied: a.item.seqs.filter((s) => !a.before || s > a.before.seq).sort((x, y) => x - y),
      cameraId: e.cameraId,
      eventCode: `${e.eventCode.major}/${e.eventCode.minor}`,
      startedAt: e.startedAt,
      lastSeenAt: e.lastSeenAt,
      endedAt: e.endedAt ?? null,
      bestScore: e.bestScore,
      evidence: a.item.evidence.map((x) => ({ kind: x.kind, sha256: x.sha256 })),
    },
  };
}
