import type { MqttClient } from "mqtt";
import type { Database } from "../db/database.ts";
import type { FleetMonitor } from "../mqtt/fleet-monitor.ts";
import { redactUrl } from "../../shared/url-redaction.ts";

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  uptimeSeconds: number;
  database: { up: boolean; kind: string };
  broker: { up: boolean; url: string; embedded: boolean };
  edges: unknown[];
  cameras: unknown[];
}

/** "ok" means the two things the back end cannot work without are reachable: database and broker. */
export class HealthService {
  private readonly started = Date.now();

  constructor(
    private db: Database,
    private mqtt: MqttClient,
    private fleet: FleetMonitor,
    private broker: { url: string; embedded: boolean },
    private version: string,
  ) {}

  async report(): Promise<HealthReport> {
    const dbUp = await this.db.ping();
    const brokerUp = this.mqtt.connected;
    return {
      status: dbUp && brokerUp ? "ok" : "degraded",
      version: this.version,
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
      database: { up: dbUp, kind: this.db.kind },
      broker: { up: brokerUp, url: redactUrl(this.broker.url), embedded: this.broker.embedded },
      edges: [...this.fleet.edges.values()],
      cameras: [...this.fleet.cameras.values()],
    };
  }
}
