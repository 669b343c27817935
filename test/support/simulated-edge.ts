import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MqttClient } from "mqtt";
import type { CandidateEvent } from "../../src/contracts/index.ts";
import { connectMqtt, endMqtt } from "../../src/shared/mqtt-connection.ts";
import { CandidateOutbox, type CandidateOutboxOptions } from "../../src/edge/outbox/candidate-outbox.ts";
import { createLogger } from "../../src/shared/logger.ts";

/**
 * An edge without cameras: the real outbox and a real MQTT session (persistent, as the edge
 * worker's), fed with candidate messages by the caller. Used by the intake tests and bench.
 */
export class SimulatedEdge {
  readonly outbox: CandidateOutbox;
  readonly mqtt: MqttClient;
  readonly dir: string;

  constructor(
    readonly edgeId: string,
    brokerUrl: string,
    opts: CandidateOutboxOptions & { dir?: string } = {},
  ) {
    this.dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `cw-edge-${edgeId}-`));
    const log = createLogger(`edge-${edgeId}`, process.env.TEST_LOG_LEVEL ?? "silent");
    this.outbox = new CandidateOutbox(path.join(this.dir, "outbox"), log, opts);
    this.mqtt = connectMqtt({ url: brokerUrl, clientId: `cw-sim-${edgeId}`, clean: false, log });
    this.outbox.attach(this.mqtt, edgeId);
  }

  publish(events: CandidateEvent[]): void {
    this.outbox.enqueueMany(events);
  }

  /** Resolves once the back end has confirmed everything this edge queued. */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.outbox.pendingCount > 0) {
      if (Date.now() > deadline) throw new Error(`edge ${this.edgeId}: ${this.outbox.pendingCount} candidate messages still unconfirmed after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    this.outbox.close();
    await endMqtt(this.mqtt);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
