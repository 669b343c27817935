import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import { TOPIC_ROOT } from "../../contracts/index.ts";
import type { Logger } from "../../shared/logger.ts";

export interface CaseChange {
  caseId: string;
  candidateId: string;
  /** "reported" = new item, "updated" = newer edge message, otherwise the workflow action (confirm, reject…). */
  action: string;
  state?: string;
}

/**
 * Back-end internal topic (not part of the edge contract): replicas tell each other what
 * changed, so a console on any replica sees changes committed by any other one. Scoped by
 * the replica group, so deployments sharing a broker never see each other's changes.
 */
export const changesTopic = (group: string) => `${TOPIC_ROOT}/backend/${group}/changes`;

type Listener = (changes: CaseChange[]) => void;

/** Fan-out of committed changes to SSE clients of this replica and, via MQTT, of all replicas. */
export class ChangeFeed {
  private listeners = new Set<Listener>();
  private readonly origin = randomUUID();
  private readonly topic: string;

  constructor(
    private mqtt: MqttClient | null,
    private log: Logger,
    group = "backend",
  ) {
    this.topic = changesTopic(group);
  }

  async start(): Promise<void> {
    if (!this.mqtt) return;
    this.mqtt.on("message", (topic, payload) => {
      if (topic !== this.topic) return;
      try {
        const msg = JSON.parse(payload.toString("utf8")) as { origin: string; changes: CaseChange[] };
        if (msg.origin !== this.origin && Array.isArray(msg.changes)) this.emitLocal(msg.changes);
      } catch {
        this.log.debug("ignored malformed change notice");
      }
    });
    await this.mqtt.subscribeAsync(this.topic, { qos: 0 });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Call after commit only: a notice must never announce something a reader cannot see yet. */
  publish(changes: CaseChange[]): void {
    if (changes.length === 0) return;
    this.emitLocal(changes);
    if (this.mqtt?.connected) this.mqtt.publish(this.topic, JSON.stringify({ origin: this.origin, changes }), { qos: 0 });
  }

  private emitLocal(changes: CaseChange[]): void {
    for (const l of this.listeners) {
      try {
        l(changes);
      } catch (err) {
        this.log.warn({ err }, "change listener failed");
      }
    }
  }
}
