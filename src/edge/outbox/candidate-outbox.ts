import type { MqttClient } from "mqtt";
import type { CandidateEvent } from "../../contracts/candidate.ts";
import { topics } from "../../contracts/topics.ts";
import type { Logger } from "../../shared/logger.ts";
import { DurableLog, type LogRecord } from "./durable-log.ts";

export interface CandidateRecord {
  topic: string;
  message: CandidateEvent;
}

/**
 * Candidate messages on their way to the broker. Each is on disk before it is published and
 * is published at QoS 1, one at a time, in the order it was written; it leaves the outbox only
 * when the broker's PUBACK arrives. mqtt.js resends an unacknowledged publish after a reconnect,
 * and after an edge restart the outbox resends whatever was not acknowledged — so a message
 * may arrive twice, always identical (same candidateId + seq), never out of order, never lost.
 */
export class CandidateOutbox {
  private readonly log: DurableLog<CandidateRecord>;
  private mqtt: MqttClient | null = null;
  private sending = false;
  private closed = false;
  delivered = 0;
  droppedForSpace = 0;
  /** Called when the outbox is over its byte budget; returns true when superseded updates may be skipped. */
  overBudget: () => boolean = () => false;
  onDelivered?: (message: CandidateEvent) => void;

  constructor(
    dir: string,
    private logger: Logger,
  ) {
    this.log = new DurableLog<CandidateRecord>(dir);
  }

  attach(mqtt: MqttClient): void {
    this.mqtt = mqtt;
    this.kick();
  }

  enqueue(message: CandidateEvent): void {
    this.log.append({ topic: topics.cameraCandidate(message.cameraId), message });
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

  get pendingCount(): number {
    return this.log.pending.length;
  }

  close(): void {
    this.closed = true;
  }

  kick(): void {
    if (this.sending || !this.mqtt || this.closed) return;
    this.sending = true;
    void this.drain().finally(() => {
      this.sending = false;
      if (this.log.pending.length && !this.closed) setTimeout(() => this.kick(), 1000).unref();
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed && this.log.pending.length) {
      const rec = this.log.pending[0];
      if (this.overBudget() && this.isSuperseded(rec)) {
        // Messages are cumulative: a later one for the same candidate carries everything this one did.
        this.droppedForSpace++;
        this.logger.warn({ candidateId: rec.body.message.candidateId, seq: rec.body.message.seq }, "outbox over its disk budget: skipping a superseded update");
        this.log.ack(rec.id);
        continue;
      }
      try {
        await this.mqtt!.publishAsync(rec.body.topic, JSON.stringify(rec.body.message), { qos: 1 });
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, "candidate publish failed; will retry");
        return;
      }
      this.log.ack(rec.id);
      this.delivered++;
      this.onDelivered?.(rec.body.message);
    }
  }

  private isSuperseded(rec: LogRecord<CandidateRecord>): boolean {
    if (rec.body.message.phase !== "update") return false;
    return this.log.pending.some((r) => r.id > rec.id && r.body.message.candidateId === rec.body.message.candidateId);
  }
}
