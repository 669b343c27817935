import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import { configSchema, type CurbWatchConfig } from "../../src/config/schema.ts";
import { startBackend, type RunningBackend } from "../../src/backend/server.ts";
import { backendModules } from "../../src/backend/modules.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { topics, type CandidateEvent } from "../../src/contracts/index.ts";
import { loginAs, testPassword } from "../support/login.ts";

/** A unique tag per test run: shared-subscription group, client ids, camera and candidate ids. */
export const runTag = () => `t${process.pid}${Math.random().toString(36).slice(2, 8)}`;

export function testConfig(overrides: {
  databaseUrl?: string;
  mqttUrl?: string;
  group: string;
  dataDir?: string;
  ingestClientId?: string;
  extra?: Record<string, unknown>;
}): CurbWatchConfig {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "cw-backend-"));
  const cfg = configSchema.parse({
    dataDir,
    server: { host: "127.0.0.1", port: 0 },
    database: { url: overrides.databaseUrl, poolSize: 5 },
    mqtt: { url: overrides.mqttUrl, embeddedPort: 0, sharedGroup: overrides.group, ingestClientId: overrides.ingestClientId ?? `cw-${overrides.group}` },
    log: { level: "silent" },
    demo: { enabled: false },
    security: { initialAdminPassword: testPassword("admin"), initialAdminPasswordPermanent: true },
    ...overrides.extra,
  });
  cfg.evidence.dir = path.join(dataDir, "evidence");
  return cfg;
}

export async function startTestBackend(cfg: CurbWatchConfig): Promise<RunningBackend> {
  return startBackend(cfg, createLogger("test-backend", process.env.TEST_LOG_LEVEL ?? "silent"), backendModules);
}

export function candidate(cameraId: string, candidateId: string, seq: number, over: Partial<CandidateEvent> = {}): CandidateEvent {
  const t = new Date(Date.UTC(2026, 10, 20, 8, 0, 0) + seq * 1000).toISOString();
  return {
    schema: "curbwatch.candidate/v1",
    candidateId,
    seq,
    phase: seq === 0 ? "start" : "update",
    edgeId: "edge-test",
    cameraId,
    zoneId: "zone-1",
    ruleId: "vending",
    rule: "street_vending",
    eventCode: { major: "05", minor: "01" },
    startedAt: new Date(Date.UTC(2026, 10, 20, 8, 0, 0)).toISOString(),
    lastSeenAt: t,
    bestScore: 0.8,
    objects: [{ trackId: 1, label: "person", role: "person", score: 0.8, box: [0.1, 0.2, 0.3, 0.6] }],
    evidence: [],
    ...over,
  };
}

export async function publisher(url: string, tag: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId: `pub-${tag}-${randomUUID().slice(0, 8)}`, clean: true });
}

export async function publishCandidate(client: MqttClient, e: CandidateEvent): Promise<void> {
  await client.publishAsync(topics.cameraCandidate(e.cameraId), JSON.stringify(e), { qos: 1 });
}

/** Polls until `check` returns a value that is not undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** JSON API call, logged in as `as` (a session cookie from loginAs) or anonymous. */
export async function api(base: string, method: string, p: string, opts: { as?: string; body?: unknown } = {}) {
  const cookie = opts.as ? await loginAs(base, opts.as) : undefined;
  const r = await fetch(`${base}/api${p}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(method !== "GET" ? { "content-type": "application/json" } : {}) },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await r.text();
  // Bodies are read loosely across tests; each test asserts the fields it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, body: json };
}
