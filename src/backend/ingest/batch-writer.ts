import type { CandidateEvent } from "../../contracts/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../../shared/logger.ts";
import { AuditRepository, type NewAuditEntry } from "../repositories/audit.repository.ts";
import { IngestRepository, type AppliedCandidate } from "../repositories/ingest.repository.ts";
import { withRetries, type Tx } from "../repositories/tx.ts";
import type { ChangeFeed } from "../services/change-feed.ts";
import { coalesceBySituation } from "./candidate-message.ts";
import type { Ack } from "./deferred-ack.ts";
import type { IngestStats } from "./ingest-stats.ts";
import { DeadLetterRepository } from "../repositories/dead-letter.repository.ts";
import { IntakeOwnershipRepository } from "../repositories/intake-ownership.repository.ts";
import { judgeBatch, type OwnershipVerdict } from "./intake-ownership.ts";
import { commitIsolatingPoison } from "./poison-isolation.ts";
import type { IntakeOutcome, SettledListener, SettledMessage } from "./intake-outcome.ts";
import { topics } from "../../contracts/index.ts";

interface Pending {
  event: CandidateEvent;
  ack: Ack;
  receivedAt: number;
}

/** What one committed transaction produced, besides each message's outcome. */
interface CommittedPart {
  applied: AppliedCandidate[];
  stale: number;
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
  private readonly ownership = new IntakeOwnershipRepository();
  private readonly deadLetters = new DeadLetterRepository();
  private inFlight: Pending[] = [];
  /** Hook for acknowledgements beyond the broker: every message's outcome, once per batch. */
  onSettled: SettledListener | null = null;

  constructor(
    private db: Database,
    private feed: ChangeFeed,
    private stats: IngestStats,
    private log: Logger,
    private opts: { maxMessages: number; maxWaitMs: number },
  ) {}

  add(event: CandidateEvent, ack: Ack, receivedAt = Date.now()): void {
    this.pending.push({ event, ack, receivedAt });
    this.stats.pending = this.pending.length;
    this.stats.oldestPendingAt ??= receivedAt;
    if (this.pending.length >= this.opts.maxMessages) this.kick(0);
    else this.kick(this.opts.maxWaitMs);
  }

  /**
   * Writes what is pending and waits for it, for at most `boundMs`; used on shutdown.
   * Whatever is still unwritten then stays unacked, so the broker keeps it for this
   * replica's persistent session (or hands it to another replica): nothing is lost.
   * The waits are real timers, so a failing database cannot turn this into a busy loop.
   */
  async drain(boundMs: number): Promise<{ unwritten: number }> {
    const deadline = Date.now() + boundMs;
    while ((this.writing || this.pending.length) && Date.now() < deadline) {
      if (!this.writing) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.writing = this.writeNext().finally(() => (this.writing = null));
      }
      const failuresBefore = this.stats.failedBatches;
      await raceTimeout(this.writing, deadline - Date.now());
      // A failed write puts its batch back; wait before trying again (bounded by the deadline).
      if (this.stats.failedBatches > failuresBefore) await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
    }
    const unwritten = this.pending.length + this.inFlight.length;
    if (unwritten) this.log.warn({ unwritten, boundMs }, "shutdown drain bound reached; unwritten candidates stay unacknowledged at the broker");
    return { unwritten };
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
      if (this.writing) return; // the shutdown drain started one meanwhile
      this.writing = this.writeNext().finally(() => {
        this.writing = null;
        if (this.pending.length && !this.stopped) this.kick(this.failures ? Math.min(10_000, 250 * 2 ** this.failures) : 0);
      });
    }, delayMs);
  }

  private async writeNext(): Promise<void> {
    const batch = this.pending.splice(0, this.opts.maxMessages);
    if (batch.length === 0) return;
    this.inFlight = batch;
    const started = Date.now();
    const committed: CommittedPart[] = [];
    let outcomes: IntakeOutcome[];
    try {
      outcomes = await commitIsolatingPoison(
        batch,
        async (part) => {
          const r = await withRetries(5, () => this.db.prisma.$transaction((tx) => this.commitPart(tx, part), { timeout: 30_000, maxWait: 30_000 }));
          committed.push(r.part);
          return r.outcomes;
        },
        (p, reason) => this.deadLetter(p, reason),
      );
    } catch (err) {
      // Not about the data (database unreachable, timeout): nothing acked, nothing lost.
      // Keep the messages at the front and retry with backoff; what did commit is redelivered
      // and then recognised as a duplicate.
      this.failures++;
      this.stats.failedBatches++;
      this.stats.failingSince ??= started;
      this.inFlight = [];
      this.pending.unshift(...batch);
      this.stats.pending = this.pending.length;
      this.log.error({ err, size: batch.length, failures: this.failures }, "candidate batch write failed; will retry");
      return;
    }
    this.failures = 0;
    this.stats.failingSince = null;
    this.inFlight = [];
    const settled: SettledMessage[] = batch.map((p, i) => ({ event: p.event, outcome: outcomes[i] }));
    this.count(settled);
    this.onSettled?.(settled);
    for (const p of batch) p.ack();
    const applied = committed.flatMap((c) => c.applied);
    this.stats.stale += committed.reduce((n, c) => n + c.stale, 0);
    for (const a of applied) a.created ? this.stats.created++ : this.stats.updated++;
    this.stats.batches++;
    this.stats.lastBatchMs = Date.now() - started;
    this.stats.lastBatchSize = batch.length;
    this.stats.pending = this.pending.length;
    this.stats.oldestPendingAt = this.pending.length ? this.pending[0].receivedAt : null;
    this.feed.publish(applied.map((a) => ({ caseId: a.caseId, candidateId: a.candidateId, action: a.created ? "reported" : "updated" })));
  }

  /** One transaction: the ownership check, then the writes of what passed it, then the record. */
  private async commitPart(tx: Tx, part: Pending[]): Promise<{ outcomes: IntakeOutcome[]; part: CommittedPart }> {
    const events = part.map((p) => p.event);
    const facts = await this.ownership.facts(tx, events);
    const verdicts: OwnershipVerdict[] = judgeBatch(events, facts);
    const accepted = events.filter((_, i) => verdicts[i].kind === "apply");
    const r = accepted.length ? await this.ingest.applyBatch(tx, coalesceBySituation(accepted)) : { applied: [], stale: 0 };
    const late = events.flatMap((e, i) => {
      const v = verdicts[i];
      return v.kind === "late" ? [lateEntryFor(e, v.case)] : [];
    });
    await this.audit.append(tx, [...r.applied.map(auditEntryFor), ...late]);
    const appliedBy = new Map(r.applied.map((a) => [a.candidateId, a]));
    const outcomes = events.map((e, i): IntakeOutcome => {
      const v = verdicts[i];
      if (v.kind === "refused") return { kind: "refused", reason: v.reason, detail: v.detail };
      if (v.kind === "late") return { kind: "late", caseState: v.case.state };
      const a = appliedBy.get(e.candidateId);
      return a && (a.before === null || e.seq > a.before.seq) ? { kind: "stored" } : { kind: "duplicate" };
    });
    return { outcomes, part: { applied: r.applied, stale: r.stale } };
  }

  /** A message the database refused even alone: kept with the reason, then acked like any other. */
  private async deadLetter(p: Pending, reason: string): Promise<IntakeOutcome> {
    const e = p.event;
    await this.db.prisma.$transaction((tx) =>
      this.deadLetters.add(tx, {
        topic: safeTopic(e.cameraId),
        candidateId: e.candidateId,
        seq: e.seq,
        cameraId: e.cameraId,
        edgeId: e.edgeId,
        reason,
        message: e,
      }),
    );
    this.log.error({ candidateId: e.candidateId, seq: e.seq, cameraId: e.cameraId, reason }, "candidate message set aside in the dead-letter table");
    return { kind: "dead_lettered", reason };
  }

  private count(settled: SettledMessage[]): void {
    for (const { event, outcome } of settled) {
      if (outcome.kind === "refused") {
        this.stats.refused[outcome.reason]++;
        this.stats.recentRejects.add();
        this.log.warn(
          { candidateId: event.candidateId, cameraId: event.cameraId, edgeId: event.edgeId, reason: outcome.reason, detail: outcome.detail },
          "candidate refused",
        );
      } else if (outcome.kind === "late") {
        this.stats.late++;
      } else if (outcome.kind === "dead_lettered") {
        this.stats.deadLettered++;
        this.stats.recentRejects.add();
      }
    }
  }
}

function safeTopic(cameraId: string): string {
  try {
    return topics.cameraCandidate(cameraId);
  } catch {
    return `(camera ${cameraId})`;
  }
}

function raceTimeout(p: Promise<unknown> | null, ms: number): Promise<void> {
  if (!p) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    p.then(
      () => (clearTimeout(t), resolve()),
      () => (clearTimeout(t), resolve()),
    );
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A message about a finished case goes into its record (who said what, when), never onto the case. */
function lateEntryFor(e: CandidateEvent, c: { id: string; state: string }): NewAuditEntry {
  return {
    chain: e.candidateId,
    actorId: `edge:${e.edgeId}`,
    action: "candidate.update_not_applied",
    caseId: c.id,
    before: { state: c.state },
    after: {
      seq: e.seq,
      phase: e.phase,
      reason: `case is ${c.state}`,
      lastSeenAt: e.lastSeenAt,
      endedAt: e.endedAt ?? null,
      evidence: e.evidence.map((x) => ({ kind: x.kind, sha256: x.sha256 })),
    },
  };
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
