import type { MqttClient } from "mqtt";
import { COMMIT_ACK_SCHEMA, isValidTopicId, topics, type CommitAck, type CommitAckEntry } from "../../contracts/index.ts";
import type { Logger } from "../../shared/logger.ts";

/**
 * Tells each edge which of its candidate messages the back end is done with, so the edge
 * can drop them from its outbox (see contracts/commit-ack.ts). Entries gather per edge and
 * go out as one message per edge when `flush` is called — after each batch commit — or a
 * few milliseconds after a lone reject. Losing an ack costs only a redelivery, which the
 * idempotent ingest answers with another ack, so publishing is fire-and-forget at QoS 1.
 */
export class CommitAckPublisher {
  private byEdge = new Map<string, CommitAckEntry[]>();
  private timer: NodeJS.Timeout | null = null;
  private clients: MqttClient[] = [];
  sent = 0;

  constructor(private log: Logger) {}

  useClients(clients: MqttClient[]): void {
    this.clients = clients;
  }

  add(edgeId: string, entry: CommitAckEntry): void {
    // An id that cannot be a topic level names no edge we could answer; the edge resends, and is refused again.
    if (!isValidTopicId(edgeId)) return;
    let list = this.byEdge.get(edgeId);
    if (!list) this.byEdge.set(edgeId, (list = []));
    list.push(entry);
  }

  /** A permanently refused message: acked soon even when no batch is committing. */
  addRejected(edgeId: string, candidateId: string, seq: number): void {
    this.add(edgeId, { candidateId, seq, outcome: "rejected" });
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, 20);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.byEdge.size === 0) return;
    const client = this.clients.find((c) => c.connected) ?? this.clients[0];
    if (!client) return;
    for (const [edgeId, acks] of this.byEdge) {
      const body: CommitAck = { schema: COMMIT_ACK_SCHEMA, acks };
      client.publish(topics.edgeAck(edgeId), JSON.stringify(body), { qos: 1 }, (err) => {
        if (err) this.log.debug({ edgeId, err: err.message }, "commit ack not published; the edge will resend and be acked again");
      });
      this.sent += acks.length;
    }
    this.byEdge.clear();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * The identity of a message that failed validation, when it has one: enough to tell its edge
 * to stop resending it. A message without a usable identity cannot be acked and is only counted.
 */
export function looseMessageIdentity(payload: Buffer): { edgeId: string; candidateId: string; seq: number } | null {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null) return null;
  const o = json as Record<string, unknown>;
  const { edgeId, candidateId, seq } = o;
  if (typeof edgeId !== "string" || typeof candidateId !== "string" || typeof seq !== "number" || !Number.isInteger(seq) || seq < 0) return null;
  if (candidateId.length === 0 || candidateId.length > 256) return null;
  return { edgeId, candidateId, seq };
}
