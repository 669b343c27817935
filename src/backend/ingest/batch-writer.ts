import type { CandidateEvent } from "../../contracts/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../../shared/logger.ts";
import type { NewAuditEntry } from "../repositories/audit.repository.ts";
import type { AppliedCandidate, KnownBeforeWrite } from "../repositories/ingest.repository.ts";
import type { Repositories } from "../repositories/repositories.ts";
import { withRetries, type RawSql } from "../repositories/tx.ts";
import type { ChangeFeed } from "../services/change-feed.ts";
import { coalesceBySituation } from "./candidate-message.ts";
import type { Ack } from "./deferred-ack.ts";
import type { IngestStats } from "./ingest-stats.ts";
import { judgeBatch, type OwnershipFacts, type OwnershipVerdict } from "./intake-ownership.ts";
import { commitIsolatingPoison } from "./poison-isolation.ts";
import type { IntakeOutcome, SettledListener, SettledMessage } from "./intake-outcome.ts";
import { topics } from "../../contracts/index.ts";

/** performance.now() at each step of one transaction, for the per-stage figures. */
interface StageMarks {
  opened: number;
  entered: number;
  ownership: number;
  cases: number;
  record: number;
}

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

export interface BatchWriterOptions {
  maxMessages: number;
  maxWaitMs: number;
  /** Batches committing at once (default 1). */
  writers?: number;
}

/**
 * Collects valid candidate messages for a few milliseconds and writes them in one
 * transaction (cases, evidence links, audit entries), then acks them. Up to `writers`
 * batches commit at once, so the database's round trips overlap; while they commit the
 * next batch fills up, so load raises batch size rather than latency. Messages of one
 * candidate are never in two batches at once, so they are applied in arrival order.
 */
export class CandidateBatchWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Set<Promise<void>>();
  private readonly inFlight = new Set<Pending[]>();
  /** candidateIds held by batches being written, with how many messages each. */
  private readonly busy = new Map<string, number>();
  private stopped = false;
  private failures = 0;
  private readonly ingest: Repositories["ingest"];
  private readonly audit: Repositories["audit"];
  private readonly ownership: Repositories["intakeOwnership"];
  private readonly deadLetters: Repositories["deadLetters"];
  /** Hook for acknowledgements beyond the broker: every message's outcome, once per batch. */
  onSettled: SettledListener | null = null;

  constructor(
    private db: Database,
    repositories: Pick<Repositories, "ingest" | "audit" | "intakeOwnership" | "deadLetters">,
    private feed: ChangeFeed,
    private stats: IngestStats,
    private log: Logger,
    private opts: BatchWriterOptions,
  ) {
    this.ingest = repositories.ingest;
    this.audit = repositories.audit;
    this.ownership = repositories.intakeOwnership;
    this.deadLetters = repositories.deadLetters;
  }

  private get maxWriters(): number {
    // While the database fails, one batch probes it; the others would only fail too.
    return this.failures ? 1 : Math.max(1, this.opts.writers ?? 1);
  }

  add(event: CandidateEvent, ack: Ack, receivedAt = Date.now()): void {
    this.pending.push({ event, ack, receivedAt });
    this.refreshBacklog();
    if (this.pending.length >= this.opts.maxMessages) this.pump();
    else this.arm(this.opts.maxWaitMs);
  }

  /**
   * Writes what is pending and waits for it, for at most `boundMs`; used on shutdown.
   * Whatever is still unwritten then stays unacked, so the broker keeps it for this
   * replica's persistent session (or hands it to another replica): nothing is lost.
   * The waits are real timers, so a failing database cannot turn this into a busy loop.
   */
  async drain(boundMs: number): Promise<{ unwritten: number }> {
    const deadline = Date.now() + boundMs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while ((this.running.size || this.pending.length) && Date.now() < deadline) {
      this.startWriters();
      const failuresBefore = this.stats.failedBatches;
      await raceTimeout(this.running.size ? Promise.race(this.running) : null, deadline - Date.now());
      // A failed write puts its batch back; wait before trying again (bounded by the deadline).
      if (this.stats.failedBatches > failuresBefore) await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
    }
    const unwritten = this.pending.length + [...this.inFlight].reduce((n, b) => n + b.length, 0);
    if (unwritten) this.log.warn({ unwritten, boundMs }, "shutdown drain bound reached; unwritten candidates stay unacknowledged at the broker");
    return { unwritten };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes a batch once the oldest message has waited `delayMs`, unless one starts sooner. */
  private arm(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump(true);
    }, delayMs);
  }

  /** Starts batches for what is pending: full ones always, a partial one when `flush` (its wait is over). */
  private pump(flush = false): void {
    if (this.stopped) return;
    while (this.running.size < this.maxWriters && this.pending.length && (flush || this.pending.length >= this.opts.maxMessages)) {
      // Everything pending belongs to candidates being written: the batch that finishes calls scheduleNext.
      if (!this.startWriter()) return;
      flush = false;
    }
    this.scheduleNext();
  }

  /** After a write or a pump: the next full batch now, a partial one when its oldest message is due, or after a backoff. */
  private scheduleNext(): void {
    if (this.stopped || !this.pending.length || this.running.size >= this.maxWriters) return;
    if (this.failures) return this.arm(Math.min(10_000, 250 * 2 ** this.failures));
    if (this.pending.length >= this.opts.maxMessages) return this.pump();
    this.arm(Math.max(0, this.opts.maxWaitMs - (Date.now() - this.pending[0].receivedAt)));
  }

  private startWriters(): void {
    while (this.running.size < this.maxWriters && this.pending.length && this.startWriter());
  }

  /** Starts one batch; false when every pending message belongs to a candidate already being written. */
  private startWriter(): boolean {
    const batch = this.takeBatch();
    if (batch.length === 0) return false;
    const write: Promise<void> = this.write(batch).finally(() => {
      this.running.delete(write);
      if (this.timer && !this.failures) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.scheduleNext();
    });
    this.running.add(write);
    return true;
  }

  /** Up to maxMessages pending messages, in arrival order, skipping candidates that are being written. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const skipped: Pending[] = [];
    let i = 0;
    for (; i < this.pending.length && batch.length < this.opts.maxMessages; i++) {
      const p = this.pending[i];
      (this.busy.has(p.event.candidateId) ? skipped : batch).push(p);
    }
    if (batch.length === 0) return batch;
    this.pending = skipped.length ? [...skipped, ...this.pending.slice(i)] : this.pending.slice(i);
    for (const p of batch) this.busy.set(p.event.candidateId, (this.busy.get(p.event.candidateId) ?? 0) + 1);
    this.inFlight.add(batch);
    return batch;
  }

  private release(batch: Pending[]): void {
    this.inFlight.delete(batch);
    for (const p of batch) {
      const n = (this.busy.get(p.event.candidateId) ?? 1) - 1;
      if (n > 0) this.busy.set(p.event.candidateId, n);
      else this.busy.delete(p.event.candidateId);
    }
    this.refreshBacklog();
  }

  /** Pending count and the arrival time of the oldest message not yet settled (waiting or being written). */
  private refreshBacklog(): void {
    this.stats.pending = this.pending.length;
    let oldest = this.pending.length ? this.pending[0].receivedAt : null;
    for (const b of this.inFlight) if (oldest === null || b[0].receivedAt < oldest) oldest = b[0].receivedAt;
    this.stats.oldestPendingAt = oldest;
  }

  private async write(batch: Pending[]): Promise<void> {
    const started = Date.now();
    const committed: CommittedPart[] = [];
    let outcomes: IntakeOutcome[];
    try {
      outcomes = await commitIsolatingPoison(
        batch,
        async (part) => {
          const r = await withRetries(5, async () => {
            const opened = performance.now();
            const marks: StageMarks = { opened, entered: opened, ownership: opened, cases: opened, record: opened };
            const res = await this.db.rawTransaction((sql) => this.commitPart(sql, part, marks));
            this.addStages(marks, performance.now());
            return res;
          });
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
      this.pending.unshift(...batch);
      this.release(batch);
      this.log.error({ err, size: batch.length, failures: this.failures }, "candidate batch write failed; will retry");
      return;
    }
    this.failures = 0;
    this.stats.failingSince = null;
    this.release(batch);
    const settling = performance.now();
    this.stats.stageMs.queued += started - batch[0].receivedAt;
    const committedAt = Date.now();
    for (const p of batch) this.stats.receivedToCommitted.add(committedAt - p.receivedAt);
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
    this.feed.publish(applied.map((a) => ({ caseId: a.caseId, candidateId: a.candidateId, action: a.created ? "reported" : "updated" })));
    this.stats.stageMs.settle += performance.now() - settling;
  }

  private addStages(m: StageMarks, committedAt: number): void {
    const s = this.stats.stageMs;
    s.begin += m.entered - m.opened;
    s.ownership += m.ownership - m.entered;
    s.cases += m.cases - m.ownership;
    s.record += m.record - m.cases;
    s.commit += committedAt - m.record;
  }

  /** One transaction: the ownership check, then the writes of what passed it, then the record. */
  private async commitPart(tx: RawSql, part: Pending[], marks: StageMarks): Promise<{ outcomes: IntakeOutcome[]; part: CommittedPart }> {
    marks.entered = performance.now();
    const events = part.map((p) => p.event);
    const facts = await this.ownership.facts(tx, events);
    marks.ownership = performance.now();
    const verdicts: OwnershipVerdict[] = judgeBatch(events, facts);
    const accepted = events.filter((_, i) => verdicts[i].kind === "apply");
    const r = accepted.length ? await this.ingest.applyBatch(tx, coalesceBySituation(accepted), knownBeforeWrite(facts)) : { applied: [], stale: 0 };
    marks.cases = performance.now();
    const late = events.flatMap((e, i) => {
      const v = verdicts[i];
      return v.kind === "late" ? [lateEntryFor(e, v.case)] : [];
    });
    // Every entry's chain is its candidateId, whose head the ownership check read and locked.
    await this.audit.append(tx, [...r.applied.map(auditEntryFor), ...late], new Date(), facts.chainHeads);
    marks.record = performance.now();
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

/** The rows the ownership check read and locked, as the case writes need them. */
function knownBeforeWrite(facts: OwnershipFacts): KnownBeforeWrite {
  const cases = new Map<string, { id: string; seq: number; phase: string }>();
  for (const [candidateId, c] of facts.cases)
    if (c.seq !== undefined && c.phase !== undefined) cases.set(candidateId, { id: c.id, seq: c.seq, phase: c.phase });
  return { cases, cameras: facts.cameraStandings ?? new Map() };
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

/** The record entry of a candidate message applied to its case. */
export function auditEntryFor(a: AppliedCandidate): NewAuditEntry {
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
