import type { MqttClient } from "mqtt";
import { candidateMessageKey, commitAckSchema, type CandidateEvent, type CommitAck } from "../../contracts/index.ts";
import { topics } from "../../contracts/topics.ts";
import type { Logger } from "../../shared/logger.ts";
import { DurableLog, type LogRecord } from "./durable-log.ts";

export interface CandidateRecord {
  topic: string;
  message: CandidateEvent;
}

export interface CandidateOutboxOptions {
  /** Most messages sent but not yet confirmed by the back end. */
  maxUnconfirmed?: number;
  /**
   * A message the broker took but the back end has not confirmed after this long is sent again —
   * once a message sent after it was confirmed (so it was skipped: dropped by the broker), or when
   * no confirmation at all came for this long (then with a growing pause, up to 8 times as long).
   */
  redeliverAfterMs?: number;
}

/**
 * Confirmations may overtake each other by this much (replicas, sessions and batches interleave),
 * or by as far as the back end is behind, whichever is more: its sessions' queues drain unevenly.
 */
const REORDER_GRACE_MS = 1000;

interface InFlight {
  sentAtMs: number;
  /** The broker's PUBACK arrived: from here only the back end's confirmation counts. */
  brokerAcked: boolean;
}

/**
 * Candidate messages on their way to the back end's database. Each is on disk (fsynced)
 * before it is published at QoS 1, and leaves the outbox only when the back end confirms on
 * `curbwatch/v1/edge/{edgeId}/ack` that the transaction holding it committed (or that it can
 * never be stored) — a broker PUBACK is not enough, because a broker may still drop what it
 * acknowledged (a full queue, a crash before its store was saved). What is unconfirmed is
 * sent again after `redeliverAfterMs`, after a reconnect, and after an edge restart; the
 * back end's ingest is idempotent on (candidateId, seq), so a resend never duplicates a case.
 */
export class CandidateOutbox {
  private readonly log: DurableLog<CandidateRecord>;
  private mqtt: MqttClient | null = null;
  private edgeId = "";
  private closed = false;
  private inFlight = new Map<number, InFlight>();
  /** Confirmed records not yet at the head of the log (confirmations may come out of order). */
  private confirmed = new Set<number>();
  private idsByKey = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** Send time of the latest-sent message confirmed so far, and when a confirmation last came. */
  private newestConfirmedSentAtMs = 0;
  private lastConfirmationAtMs = Date.now();
  private stallBackoff = 1;
  private readonly maxUnconfirmed: number;
  private readonly redeliverAfterMs: number;
  /** Messages the back end confirmed as committed. */
  delivered = 0;
  /** Messages the back end refused for good (malformed); kept in the log only until confirmed. */
  rejected = 0;
  /** Messages sent again because their confirmation did not come in time. */
  redelivered = 0;
  /** Broker PUBACKs received (not a delivery: for figures only). */
  brokerAcked = 0;
  droppedForSpace = 0;
  /** Called when the outbox is over its byte budget; returns true when superseded updates may be skipped. */
  overBudget: () => boolean = () => false;
  onDelivered?: (message: CandidateEvent) => void;

  constructor(
    dir: string,
    private logger: Logger,
    opts: CandidateOutboxOptions = {},
  ) {
    this.log = new DurableLog<CandidateRecord>(dir);
    this.maxUnconfirmed = opts.maxUnconfirmed ?? 1000;
    this.redeliverAfterMs = opts.redeliverAfterMs ?? 10_000;
    for (const rec of this.log.pending) this.idsByKey.set(keyOf(rec), rec.id);
  }

  /** Starts sending through `mqtt` and listening for this edge's commit acks. */
  attach(mqtt: MqttClient, edgeId: string): void {
    this.mqtt = mqtt;
    this.edgeId = edgeId;
    const ackTopic = topics.edgeAck(edgeId);
    mqtt.on("connect", () => {
      mqtt.subscribe(ackTopic, { qos: 1 }, (err) => {
        if (err) this.logger.warn({ err: err.message }, "commit-ack subscribe failed");
      });
      // What the broker acknowledged on the old connection may be lost with it: send again.
      // (Publishes it never acknowledged mqtt.js resends by itself.)
      for (const [id, f] of this.inFlight) if (f.brokerAcked) this.inFlight.delete(id);
      // A new connection (perhaps to a restarted broker that lost its subscriptions): start the stall clock afresh.
      this.lastConfirmationAtMs = Date.now();
      this.stallBackoff = 1;
      this.kick();
    });
    mqtt.on("message", (topic, payload) => {
      if (topic === ackTopic) this.onCommitAck(payload);
    });
    if (mqtt.connected) mqtt.subscribe(ackTopic, { qos: 1 });
    this.timer = setInterval(() => this.redeliverOverdue(), Math.max(50, Math.min(1000, this.redeliverAfterMs / 4)));
    this.timer.unref();
    this.kick();
  }

  enqueue(message: CandidateEvent): void {
    this.enqueueMany([message]);
  }

  /** Several messages with one fsync (a bench's simulated edge; a camera that raised several at once). */
  enqueueMany(messages: CandidateEvent[]): void {
    if (messages.length === 0) return;
    const recs = this.log.appendMany(messages.map((message) => ({ topic: topics.cameraCandidate(message.cameraId), message })));
    for (const rec of recs) this.idsByKey.set(keyOf(rec), rec.id);
    this.kick();
  }

  /** Bytes the outbox holds on disk, for the edge's storage budget. */
  storedBytes(): number {
    return this.log.bytes();
  }

  /** The messages read back from disk at start, oldest first (the publisher reconciles its state with them). */
  recoveredMessages(): CandidateEvent[] {
    return this.log.loaded.map((rec) => rec.body.message);
  }

  /** Messages not yet confirmed by the back end. */
  get pendingCount(): number {
    return this.log.pending.length - this.confirmed.size;
  }

  /** Messages sent and awaiting the back end's confirmation. */
  get unconfirmedInFlight(): number {
    return this.inFlight.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Sends what is unsent, up to `maxUnconfirmed` messages awaiting confirmation. */
  kick(): void {
    const mqtt = this.mqtt;
    if (!mqtt || this.closed || !mqtt.connected) return;
    for (const rec of this.log.pending) {
      if (this.inFlight.size >= this.maxUnconfirmed) break;
      if (this.inFlight.has(rec.id) || this.confirmed.has(rec.id)) continue;
      if (this.overBudget() && this.isSuperseded(rec)) {
        // Messages are cumulative: a later one for the same candidate carries everything this one did.
        this.droppedForSpace++;
        this.logger.warn({ candidateId: rec.body.message.candidateId, seq: rec.body.message.seq }, "outbox over its disk budget: skipping a superseded update");
        this.confirm([rec.id]);
        continue;
      }
      const flight: InFlight = { sentAtMs: Date.now(), brokerAcked: false };
      this.inFlight.set(rec.id, flight);
      mqtt.publish(rec.body.topic, JSON.stringify(rec.body.message), { qos: 1 }, (err) => {
        if (err) {
          // Not taken by the broker: the next kick (reconnect, timer) sends it again.
          if (this.inFlight.get(rec.id) === flight) this.inFlight.delete(rec.id);
          return;
        }
        flight.brokerAcked = true;
        this.brokerAcked++;
      });
    }
  }

  private onCommitAck(payload: Buffer): void {
    let ack: CommitAck;
    try {
      ack = commitAckSchema.parse(JSON.parse(payload.toString("utf8")));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "malformed commit ack ignored");
      return;
    }
    const ids: number[] = [];
    for (const a of ack.acks) {
      const id = this.idsByKey.get(candidateMessageKey(a.candidateId, a.seq));
      // A repeated ack (of something already forgotten, or twice in one message: a resend shared its batch).
      if (id === undefined || this.confirmed.has(id) || ids.includes(id)) continue;
      ids.push(id);
      const flight = this.inFlight.get(id);
      if (flight) {
        // Progress: only a first confirmation of something in flight counts (repeats of old ones do not).
        this.newestConfirmedSentAtMs = Math.max(this.newestConfirmedSentAtMs, flight.sentAtMs);
        this.lastConfirmationAtMs = Date.now();
        this.stallBackoff = 1;
      }
      if (a.outcome === "committed") {
        this.delivered++;
        const message = this.onDelivered ? this.log.pending.find((r) => r.id === id)?.body.message : undefined;
        if (message) this.onDelivered?.(message);
      } else {
        this.rejected++;
        this.logger.error({ candidateId: a.candidateId, seq: a.seq }, "back end refused a candidate message for good; not resent");
      }
    }
    this.confirm(ids);
    this.kick();
  }

  /** Marks records as done and removes the confirmed head of the log from disk. */
  private confirm(ids: number[]): void {
    for (const id of ids) {
      this.confirmed.add(id);
      this.inFlight.delete(id);
    }
    let head = 0;
    for (const rec of this.log.pending) {
      if (!this.confirmed.has(rec.id)) break;
      head = rec.id;
      this.confirmed.delete(rec.id);
      this.idsByKey.delete(keyOf(rec));
    }
    if (head) this.log.ack(head);
  }

  private redeliverOverdue(): void {
    if (this.closed || !this.mqtt?.connected) return;
    const now = Date.now();
    // A back end that is behind confirms in order and slowly: resending then only doubles its backlog.
    const stalled = now - this.lastConfirmationAtMs >= this.redeliverAfterMs * this.stallBackoff;
    const grace = Math.max(REORDER_GRACE_MS, now - this.newestConfirmedSentAtMs);
    let n = 0;
    for (const [id, f] of this.inFlight) {
      if (!f.brokerAcked || now - f.sentAtMs < this.redeliverAfterMs) continue;
      const overtaken = f.sentAtMs + grace < this.newestConfirmedSentAtMs;
      if (overtaken || stalled) {
        this.inFlight.delete(id);
        n++;
      }
    }
    if (stalled && n) {
      this.stallBackoff = Math.min(this.stallBackoff * 2, 8);
      this.lastConfirmationAtMs = now;
    }
    if (n) {
      this.redelivered += n;
      this.logger.info({ messages: n, edgeId: this.edgeId }, "no commit ack in time: sending again");
      this.kick();
    }
  }

  private isSuperseded(rec: LogRecord<CandidateRecord>): boolean {
    if (rec.body.message.phase !== "update") return false;
    return this.log.pending.some((r) => r.id > rec.id && r.body.message.candidateId === rec.body.message.candidateId);
  }
}

const keyOf = (rec: LogRecord<CandidateRecord>): string => candidateMessageKey(rec.body.message.candidateId, rec.body.message.seq);
