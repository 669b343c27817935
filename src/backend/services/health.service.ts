import type { MqttClient } from "mqtt";
import type { FleetMonitor } from "../mqtt/fleet-monitor.ts";
import { redactUrl } from "../../shared/url-redaction.ts";
import type { IntakeHealth, IntakeHealthReport } from "../ingest/intake-health.ts";

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  uptimeSeconds: number;
  database: { up: boolean; kind: string };
  broker: { up: boolean; url: string; embedded: boolean };
  /** Candidate intake of this replica; degraded here leaves the replica serving (HTTP 200). */
  intake?: IntakeHealthReport;
  edges: unknown[];
  cameras: unknown[];
}

/** What health needs of the database: whether a trivial query round-trips, and which kind it is. */
export interface DatabaseProbe {
  kind: "pglite" | "postgresql";
  ping(): Promise<boolean>;
}

/** "ok" means the two things the back end cannot work without are reachable: database and broker. */
export class HealthService {
  private readonly started = Date.now();

  constructor(
    private db: DatabaseProbe,
    private mqtt: MqttClient,
    private fleet: FleetMonitor,
    private broker: { url: string; embedded: boolean },
    private version: string,
    private intake?: IntakeHealth,
  ) {}

  async report(): Promise<HealthReport> {
    const dbUp = await this.db.ping();
    const brokerUp = this.mqtt.connected;
    const intake = dbUp ? await this.intake?.report() : undefined;
    return {
      status: dbUp && brokerUp && intake?.status !== "degraded" ? "ok" : "degraded",
      version: this.version,
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
      database: { up: dbUp, kind: this.db.kind },
      broker: { up: brokerUp, url: redactUrl(this.broker.url), embedded: this.broker.embedded },
      ...(intake ? { intake } : {}),
      edges: [...this.fleet.edges.values()],
      // The static-object masks and zone activity are the zone editor's (administrators, their own routes), and a few KB per zone.
      cameras: [...this.fleet.cameras.values()].map(({ staticMasks: _masks, zoneActivity: _activity, ...health }) => health),
    };
  }
}
