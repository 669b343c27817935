import os from "node:os";
import type { MqttClient } from "mqtt";
import { topicFilters } from "../../contracts/index.ts";
import type { Logger } from "../../shared/logger.ts";
import { connectMqtt } from "../../shared/mqtt-connection.ts";
import { parseCandidateMessage } from "./candidate-message.ts";
import type { CandidateBatchWriter } from "./batch-writer.ts";
import { deferPubacks, type Ack } from "./deferred-ack.ts";
import type { IngestStats } from "./ingest-stats.ts";
import { looseMessageIdentity, type CommitAckPublisher } from "./commit-acks.ts";

export interface CandidateConsumerOptions {
  brokerUrl: string;
  username?: string;
  password?: string;
  /** Shared-subscription group; null = plain subscription (aedes has no $share). */
  sharedGroup: string | null;
  /** Stable per replica; session i uses `${clientIdBase}-${i}`. */
  clientIdBase: string;
  connections: number;
  /** How long shutdown may spend writing what was already read (default 10 s). */
  drainBoundMs?: number;
}

export const defaultIngestClientId = (port: number): string => `curbwatch-ingest-${os.hostname().replace(/[^A-Za-z0-9_.-]/g, "_")}-${port}`;

/**
 * The MQTT side of ingest: persistent QoS 1 sessions (clean=false, stable client ids) in
 * the shared-subscription group, validation of every message, and PUBACK only once the
 * batch holding the message has committed. A bad message is counted, logged, acked
 * (so it is not redelivered forever) and never reaches the database.
 */
export class CandidateConsumer {
  private clients: MqttClient[] = [];
  private stopping = false;
  private rejectLogBudget = { windowStart: 0, logged: 0 };
  /** Where refused messages are acked end to end, so their edge stops resending them. */
  commitAcks?: CommitAckPublisher;

  constructor(
    private opts: CandidateConsumerOptions,
    private writer: CandidateBatchWriter,
    private stats: IngestStats,
    private log: Logger,
  ) {}

  get filter(): string {
    return this.opts.sharedGroup ? topicFilters.sharedCandidates(this.opts.sharedGroup) : topicFilters.allCandidates;
  }

  /** The ingest sessions (also used to publish commit acks). */
  get sessions(): readonly MqttClient[] {
    return this.clients;
  }

  async start(): Promise<void> {
    const n = this.opts.sharedGroup ? this.opts.connections : 1;
    for (let i = 0; i < n; i++) {
      const client = connectMqtt({
        url: this.opts.brokerUrl,
        clientId: `${this.opts.clientIdBase}-${i}`,
        username: this.opts.username,
        password: this.opts.password,
        clean: false,
        log: this.log,
      });
      deferPubacks(client, (topic, payload, ack) => this.onMessage(topic, payload, ack));
      client.on("connect", (connack) => {
        // A persistent session keeps its subscription; subscribe anyway in case it was new.
        if (!connack.sessionPresent) void client.subscribeAsync(this.filter, { qos: 1 }).catch((err) => this.log.error({ err }, "candidate subscribe failed"));
      });
      this.clients.push(client);
    }
    await Promise.all(this.clients.map((c) => (c.connected ? Promise.resolve() : new Promise<void>((resolve) => c.once("connect", () => resolve())))));
    await Promise.all(this.clients.map((c) => c.subscribeAsync(this.filter, { qos: 1 })));
    this.log.info({ filter: this.filter, sessions: this.clients.length, clientIdBase: this.opts.clientIdBase }, "candidate ingest subscribed");
  }

  private onMessage(topic: string, payload: Buffer, ack: Ack): void {
    if (this.stopping) return;
    this.stats.received++;
    const parsed = parseCandidateMessage(topic, payload);
    if (!parsed.ok) {
      this.stats.rejected[parsed.reason]++;
      this.stats.recentRejects.add();
      this.logReject(topic, parsed.reason, parsed.detail, payload.length);
      ack();
      const identity = looseMessageIdentity(payload);
      if (identity) this.commitAcks?.addRejected(identity.edgeId, identity.candidateId, identity.seq);
      return;
    }
    this.writer.add(parsed.event, ack);
  }

  /** At most 20 reject lines a minute: a misbehaving edge must not flood the log. Counters keep the full count. */
  private logReject(topic: string, reason: string, detail: string, bytes: number): void {
    const now = Date.now();
    if (now - this.rejectLogBudget.windowStart > 60_000) this.rejectLogBudget = { windowStart: now, logged: 0 };
    if (this.rejectLogBudget.logged++ < 20) this.log.warn({ topic, reason, detail: detail.slice(0, 300), bytes }, "candidate rejected");
  }

  /**
   * Stop reading, write what was read (within the drain bound), ack it, then disconnect
   * keeping the sessions. Bounded throughout, so shutdown always completes.
   */
  async stop(): Promise<void> {
    // Messages arriving from now on stay unacked: the broker keeps them for this session.
    this.stopping = true;
    await this.writer.drain(this.opts.drainBoundMs ?? 10_000);
    this.writer.stop();
    // A graceful MQTT end waits for the broker; an unreachable one must not hold shutdown.
    await Promise.all(
      this.clients.map((c) =>
        Promise.race([c.endAsync(false), new Promise<void>((r) => setTimeout(r, 2000).unref())]).then(() => {
          if (!c.disconnected) c.end(true);
        }),
      ),
    );
  }
}
