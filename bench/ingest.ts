/**
 * Candidate ingest benchmark: simulated edges (the real edge outbox: fsynced, kept until the
 * back end confirms the commit) publish candidates through a private Mosquitto running the
 * shipped configuration (deploy/mosquitto/mosquitto.conf) into a real back end (spawned
 * `curbwatch backend`) writing to a fresh PostgreSQL database.
 *
 *   npm run bench:ingest -- --edges 8 --rate 1200 [--seconds 20] [--broker-limit N] [--json]
 *
 * --rate is the total offered candidates per second across all edges. --broker-limit N runs
 * Mosquitto with `max_queued_messages N`, a broker that drops what it acknowledged once a
 * queue is full, to show that nothing is lost. Latency is publish → queryable: the back end
 * announces a candidate on /api/events only after its transaction committed, so the time the
 * announcement arrives is an upper bound of when it was queryable. `brokerAcked` counts
 * broker PUBACKs (a redelivered message counts again), `drainedMs` is the time from the end
 * of publishing until every edge's outbox was empty (all confirmed by the back end).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { CandidateEvent } from "../src/contracts/index.ts";
import { startPrivateMosquitto } from "../test/support/mosquitto.ts";
import { SimulatedEdge } from "../test/support/simulated-edge.ts";
import { processCpuSeconds } from "./cpu-time.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const edges = opt("edges", 8);
const rate = opt("rate", 1000);
const seconds = opt("seconds", 20);
const brokerLimit = opt("broker-limit", 0);
const json = args.includes("--json");
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const say = (...m: unknown[]) => {
  if (!json) console.log(...m);
};

const tag = `bench${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const dbName = `cw_bench_${tag}`;
const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

async function admin(q: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(q);
  await c.end();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The shipped broker configuration, on a private port and store, optionally with a small queue limit. */
function shippedMosquittoConf(): string[] {
  const text = fs.readFileSync(path.join(root, "deploy/mosquitto/mosquitto.conf"), "utf8");
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && !/^(listener|persistence|persistence_location)\b/.test(l));
  if (brokerLimit > 0) return [...lines.filter((l) => !l.startsWith("max_queued_messages")), `max_queued_messages ${brokerLimit}`];
  return lines;
}

function candidateEvent(edgeId: string, cameraId: string, candidateId: string): CandidateEvent {
  const now = new Date().toISOString();
  return {
    schema: "curbwatch.candidate/v1",
    candidateId,
    seq: 0,
    phase: "start",
    edgeId,
    cameraId,
    zoneId: "zone-1",
    ruleId: "vending",
    rule: "street_vending",
    eventCode: { major: "05", minor: "01" },
    startedAt: now,
    lastSeenAt: now,
    bestScore: 0.82,
    objects: [
      { trackId: 1, label: "person", role: "person", score: 0.82, box: [0.31, 0.4, 0.38, 0.71] },
      { trackId: 2, label: "umbrella", role: "vending_gear", score: 0.64, box: [0.28, 0.3, 0.45, 0.45] },
    ],
    evidence: [{ kind: "snapshot_start", sha256: "0".repeat(63) + "1", bytes: 123456, contentType: "image/jpeg" }],
  };
}

/** The bench's own back end gets a known first administrator, so the bench can sign in. */
const benchAdminPassword = `bench-${crypto.randomBytes(12).toString("hex")}`;

async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: benchAdminPassword }),
  });
  if (r.status !== 200) throw new Error(`cannot sign in to the bench's back end: ${r.status} ${await r.text()}`);
  return (r.headers.get("set-cookie") ?? "").split(";")[0];
}

async function main() {
  const broker = await startPrivateMosquitto({ persistence: true, conf: shippedMosquittoConf() });
  const mqttUrl = broker.url;
  await admin(`CREATE DATABASE "${dbName}"`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-bench-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const backend = spawn(process.execPath, [path.join(root, "bin/curbwatch.js"), "backend"], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      MQTT_URL: mqttUrl,
      MQTT_SHARED_GROUP: tag,
      MQTT_INGEST_CLIENT_ID: tag,
      PORT: String(port),
      HOST: "127.0.0.1",
      CURBWATCH_DATA_DIR: dataDir,
      DEMO_ENABLED: "false",
      LOG_LEVEL: "info",
      CURBWATCH_INITIAL_ADMIN_PASSWORD: benchAdminPassword,
      CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let backendOut = "";
  backend.stdout.on("data", (d) => (backendOut += d));
  backend.stderr.on("data", (d) => (backendOut += d));
  const cleanup = async () => {
    backend.kill("SIGTERM");
    await new Promise((r) => backend.once("exit", r));
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(broker.dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    while (!/candidate ingest subscribed/.test(backendOut)) {
      if (Date.now() > deadline || backend.exitCode !== null) throw new Error(`back end did not start:\n${backendOut.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const base = `http://127.0.0.1:${port}`;
    say(`back end up (${base}); ${edges} edges offering ${rate} candidates/s for ${seconds} s`);

    // Queryable-time per candidate, from the post-commit change feed.
    const publishedAt = new Map<string, number>();
    const queryableAt = new Map<string, number>();
    const cookie = await login(base);
    const sse = await fetch(`${base}/api/events`, { headers: { cookie } });
    if (sse.status !== 200) throw new Error(`GET /api/events answered ${sse.status}: ${await sse.text()}`);
    const reader = sse.body!.getReader();
    const dec = new TextDecoder();
    let buf = "";
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) return;
        const t = performance.now();
        buf += dec.decode(value, { stream: true });
        const parts = buf.split("\n\n");
        buf = parts.pop()!;
        for (const p of parts) {
          const data = p.split("\n").find((l) => l.startsWith("data: "));
          if (!data || !p.includes("event: cases")) continue;
          for (const c of JSON.parse(data.slice(6)).changes as { candidateId: string; action: string }[]) {
            if (c.action === "reported" && !queryableAt.has(c.candidateId)) queryableAt.set(c.candidateId, t);
          }
        }
      }
    })();

    const fleet = Array.from({ length: edges }, (_, i) => new SimulatedEdge(`${tag}-edge${i}`, mqttUrl, { redeliverAfterMs: 5000, maxUnconfirmed: 2000 }));
    await Promise.all(fleet.map((e) => new Promise<void>((resolve) => (e.mqtt.connected ? resolve() : e.mqtt.once("connect", () => resolve())))));
    const cpuBefore = { bench: process.cpuUsage(), backend: processCpuSeconds(backend.pid!), broker: processCpuSeconds(broker.pid!) };
    const perEdge = rate / edges;
    const started = performance.now();
    let offered = 0;
    await new Promise<void>((resolve) => {
      const sent = new Array(edges).fill(0);
      const tick = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000;
        if (elapsed >= seconds) {
          clearInterval(tick);
          resolve();
          return;
        }
        for (let e = 0; e < edges; e++) {
          const due = Math.floor(elapsed * perEdge);
          const batch: CandidateEvent[] = [];
          const cameraId = `${tag}-cam${e}`;
          while (sent[e] < due) {
            const id = `${tag}-e${e}-${sent[e]++}`;
            publishedAt.set(id, performance.now());
            batch.push(candidateEvent(fleet[e].edgeId, cameraId, id));
          }
          offered += batch.length;
          // One fsync per edge per tick, as an edge with several events at once would do.
          fleet[e].publish(batch);
        }
      }, 10);
    });
    const publishDone = performance.now();
    say(`published ${offered} in ${((publishDone - started) / 1000).toFixed(1)} s; waiting for the back end to confirm everything…`);
    let drainedMs: number | null = null;
    try {
      await Promise.all(fleet.map((e) => e.drained(120_000)));
      drainedMs = Math.round(performance.now() - publishDone);
    } catch (err) {
      say((err as Error).message);
    }
    const waitUntil = Date.now() + 5_000;
    while (queryableAt.size < offered && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
    const cpuAfter = { bench: process.cpuUsage(cpuBefore.bench), backend: processCpuSeconds(backend.pid!), broker: processCpuSeconds(broker.pid!) };
    const acked = fleet.reduce((n, e) => n + e.outbox.brokerAcked, 0);
    const redelivered = fleet.reduce((n, e) => n + e.outbox.redelivered, 0);

    const sql = new pg.Client({ connectionString: dbUrl });
    await sql.connect();
    const rows = (await sql.query(`SELECT count(*)::int AS n, count(DISTINCT "candidateId")::int AS d FROM "Case" WHERE "candidateId" LIKE $1`, [`${tag}-%`]))
      .rows[0];
    const audits = (await sql.query(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE action = 'candidate.reported' AND chain LIKE $1`, [`${tag}-%`])).rows[0];
    await sql.end();
    const stats = await (await fetch(`${base}/api/ingest/stats`, { headers: { cookie } })).json();
    await Promise.all(fleet.map((e) => e.close()));
    await reader.cancel().catch(() => {});

    const latencies: number[] = [];
    let lastQueryable = 0;
    for (const [id, t] of queryableAt) {
      const p = publishedAt.get(id);
      if (p !== undefined) latencies.push(t - p);
      lastQueryable = Math.max(lastQueryable, t);
    }
    latencies.sort((x, y) => x - y);
    const lost = offered - rows.d;
    const duplicated = rows.n - rows.d + Math.max(0, audits.n - rows.d);
    const result = {
      edges,
      offeredPerSec: Math.round(offered / ((publishDone - started) / 1000)),
      sustainedPerSec: Math.round(rows.d / ((lastQueryable - started) / 1000)),
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      lost,
      duplicated,
      brokerAcked: acked,
      drainedMs,
      redelivered,
      brokerLimit: brokerLimit || null,
      /** CPU seconds per stage over the run: edges + load generator, broker, back end (PostgreSQL not included). */
      cpuSeconds: {
        edgesAndBench: round2((cpuAfter.bench.user + cpuAfter.bench.system) / 1e6),
        broker: round2(cpuAfter.broker - cpuBefore.broker),
        backend: round2(cpuAfter.backend - cpuBefore.backend),
      },
      backendBatches: { count: stats.batches, meanSize: stats.batches ? Math.round(stats.created / stats.batches) : 0 },
    };
    say(
      `stored ${rows.d}/${offered} (broker PUBACKs ${acked}, redelivered ${redelivered}, drained in ${drainedMs} ms); batches ${stats.batches}, last batch ${stats.lastBatchSize} msgs in ${stats.lastBatchMs} ms`,
    );
    say(
      `sustained ${result.sustainedPerSec} candidates/s (offered ${result.offeredPerSec}/s); publish→queryable p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; lost ${lost}, duplicated ${duplicated}`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await cleanup();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

await main();
