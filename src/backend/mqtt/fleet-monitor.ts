import type { MqttClient } from "mqtt";
import { redactUrlsIn } from "../../shared/url-redaction.ts";
import { cameraHealthSchema, edgeStatusSchema, parseTopic, topicFilters, type CameraHealth, type EdgeStatus } from "../../contracts/index.ts";
import type { Logger } from "../../shared/logger.ts";

/**
 * Keeps the latest retained edge status (including Last Will "offline") and camera
 * health in memory. Retained topics mean a restarted back end knows the fleet at once.
 */
export class FleetMonitor {
  readonly edges = new Map<string, EdgeStatus>();
  readonly cameras = new Map<string, CameraHealth>();
  private listeners = new Set<(change: { kind: "edge" | "camera"; id: string }) => void>();

  constructor(
    private client: MqttClient,
    private log: Logger,
  ) {}

  async start(): Promise<void> {
    this.client.on("message", (topic, payload) => this.onMessage(topic, payload));
    await this.client.subscribeAsync([topicFilters.allEdgeStatus, topicFilters.allCameraHealth], { qos: 1 });
  }

  onChange(listener: (change: { kind: "edge" | "camera"; id: string }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed || (parsed.kind !== "edgeStatus" && parsed.kind !== "cameraHealth")) return;
    if (payload.length === 0) {
      // An empty retained message clears the topic (camera removed).
      if (parsed.kind === "edgeStatus") this.edges.delete(parsed.edgeId);
      else this.cameras.delete(parsed.cameraId);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString("utf8"));
    } catch {
      this.log.warn({ topic }, "ignored status/health message that is not JSON");
      return;
    }
    if (parsed.kind === "edgeStatus") {
      const r = edgeStatusSchema.safeParse(json);
      if (!r.success || r.data.edgeId !== parsed.edgeId) return void this.log.warn({ topic, issues: r.error?.issues }, "invalid edge status");
      this.edges.set(parsed.edgeId, r.data.configError ? { ...r.data, configError: redactUrlsIn(r.data.configError) } : r.data);
      this.emit({ kind: "edge", id: parsed.edgeId });
    } else {
      const r = parseCameraHealth(json, topic, this.log);
      if (!r.success || r.data.cameraId !== parsed.cameraId) return void this.log.warn({ topic, issues: r.error?.issues }, "invalid camera health");
      // An edge of an older version may still quote a camera URL in its error: never keep one.
      this.cameras.set(parsed.cameraId, { ...r.data, lastError: r.data.lastError === null ? null : redactUrlsIn(r.data.lastError) });
      this.emit({ kind: "camera", id: parsed.cameraId });
    }
  }

  private emit(change: { kind: "edge" | "camera"; id: string }): void {
    for (const l of this.listeners) l(change);
  }
}

/** The zone editor's parts of camera health: each may be dropped on its own without losing the rest. */
const droppableParts: readonly PropertyKey[] = ["staticMasks", "zoneActivity"];

/** Camera health; a malformed static-object mask or zone activity is dropped (and logged) rather than losing the camera's whole health. */
function parseCameraHealth(json: unknown, topic: string, log: Logger): ReturnType<typeof cameraHealthSchema.safeParse> {
  const r = cameraHealthSchema.safeParse(json);
  if (r.success || !json || typeof json !== "object") return r;
  const bad = new Set(r.error.issues.map((i) => i.path[0]));
  if (![...bad].every((part) => droppableParts.includes(part as PropertyKey))) return r;
  log.warn({ topic, issues: r.error.issues, dropped: [...bad] }, "ignored an invalid part of camera health for the zone editor");
  const rest: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  for (const part of bad) delete rest[part as string];
  return cameraHealthSchema.safeParse(rest);
}
