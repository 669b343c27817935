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
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startPrivateMosquitto } from "../test/support/mosquitto.ts";
import type { FleetJob, FleetReport } from "./ingest-edge-fleet.ts";
import { namedProcessesCpuSeconds, processCpuSeconds, processIdsNamed, threadIdsOf } from "./cpu-time.ts";

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
const fleetThreads = opt("fleet-threads", 2);
/** Nice value (e.g. -10) for the system under test: broker, back end and PostgreSQL; 0 = all equal. */
const systemPriority = opt("system-priority", 0);
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
  const backend = spawn(
    process.execPath,
    [...(process.env.BENCH_BACKEND_NODE_ARGS?.split(" ").filter(Boolean) ?? []), path.join(root, "bin/curbwatch.js"), "backend"],
    {
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
    },
  );
  let backendOut = "";
  backend.stdout.on("data", (d) => (backendOut += d));
  backend.stderr.on("data", (d) => (backendOut += d));
  const cleanup = async () => {
    fs.writeFileSync("/tmp/backend-out.log", backendOut);
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

    // Queryable-time per candidate, from the post-commit change feed, read on its own thread:
    // the simulated edges' synchronous fsyncs on this thread must not delay the reading.
    const publishedAt = new Map<string, number>();
    const queryableAt = new Map<string, number>();
    const cookie = await login(base);
    const feedReader = new Worker(changeFeedReaderSource, { eval: true, workerData: { url: `${base}/api/events`, cookie } });
    await new Promise<void>((resolve, reject) => {
      feedReader.on("message", (m: { ready?: true; error?: string; seen?: [string, number][] }) => {
        if (m.ready) resolve();
        if (m.error) reject(new Error(m.error));
        for (const [id, t] of m.seen ?? []) if (!queryableAt.has(id)) queryableAt.set(id, t);
      });
      feedReader.once("error", reject);
    });

    // The simulated edges run on `fleetThreads` threads of their own (see ingest-edge-fleet.ts).
    const threads = Math.max(1, Math.min(edges, fleetThreads));
    const fleet = Array.from({ length: threads }, (_, t) => {
      const job: FleetJob = {
        tag,
        mqttUrl,
        edgeIndexes: Array.from({ length: edges }, (_, i) => i).filter((i) => i % threads === t),
        perEdgePerSec: rate / edges,
        seconds,
      };
      return startTsWorker(new URL("./ingest-edge-fleet.ts", import.meta.url), job);
    });
    const done: Extract<FleetReport, { kind: "done" }>[] = [];
    await Promise.all(
      fleet.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.on("message", (r: FleetReport) => {
              if (r.kind === "ready") resolve();
              else if (r.kind === "published") r.ids.forEach((id, i) => publishedAt.set(id, r.at[i]));
              else done.push(r);
            });
            w.once("error", reject);
          }),
      ),
    );
    // The simulated edges stand for machines of their own: with --system-priority the system under
    // test is scheduled ahead of them when both want the cores (the load generator then waits, not it).
    if (systemPriority) reniceSystemUnderTest([backend.pid!, broker.pid!], systemPriority);
    const cpuBefore = {
      bench: process.cpuUsage(),
      backend: processCpuSeconds(backend.pid!),
      broker: processCpuSeconds(broker.pid!),
      postgres: namedProcessesCpuSeconds("postgres"),
    };
    const started = clock() + 100;
    for (const w of fleet) w.postMessage({ startAt: started });
    while (done.length < threads) await new Promise((r) => setTimeout(r, 50));
    const offered = done.reduce((n, d) => n + d.offered, 0);
    const publishDone = Math.max(...done.map((d) => d.publishDone));
    say(`published ${offered} in ${((publishDone - started) / 1000).toFixed(1)} s; waited for the back end to confirm everything`);
    for (const d of done) if (d.drainError) say(d.drainError);
    const drainedMs = done.every((d) => d.drainedAt !== null) ? Math.round(Math.max(...done.map((d) => d.drainedAt!)) - publishDone) : null;
    const waitUntil = Date.now() + 5_000;
    while (queryableAt.size < offered && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
    const cpuAfter = {
      bench: process.cpuUsage(cpuBefore.bench),
      backend: processCpuSeconds(backend.pid!),
      broker: processCpuSeconds(broker.pid!),
      postgres: namedProcessesCpuSeconds("postgres"),
    };
    const acked = done.reduce((n, d) => n + d.brokerAcked, 0);
    const redelivered = done.reduce((n, d) => n + d.redelivered, 0);

    const sql = new pg.Client({ connectionString: dbUrl });
    await sql.connect();
    const rows = (await sql.query(`SELECT count(*)::int AS n, count(DISTINCT "candidateId")::int AS d FROM "Case" WHERE "candidateId" LIKE $1`, [`${tag}-%`]))
      .rows[0];
    const audits = (await sql.query(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE action = 'candidate.reported' AND chain LIKE $1`, [`${tag}-%`])).rows[0];
    await sql.end();
    const stats = await (await fetch(`${base}/api/ingest/stats`, { headers: { cookie } })).json();
    for (const w of fleet) w.postMessage("close");
    await Promise.all(fleet.map((w) => new Promise((r) => w.once("exit", r))));
    await feedReader.terminate();

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
      /** CPU seconds per process over the run: edges + load generator, broker, back end, PostgreSQL (all its processes). */
      cpuSeconds: {
        edgesAndBench: round2((cpuAfter.bench.user + cpuAfter.bench.system) / 1e6),
        broker: round2(cpuAfter.broker - cpuBefore.broker),
        backend: round2(cpuAfter.backend - cpuBefore.backend),
        postgres: round2(cpuAfter.postgres - cpuBefore.postgres),
      },
      backendBatches: { count: stats.batches, meanSize: stats.batches ? Math.round(stats.created / stats.batches) : 0 },
      /** The back end's share of the latency: message arrival from the broker → its batch committed. */
      backendReceivedToCommittedMs: stats.receivedToCommittedMs,
      /** Mean ms per committed batch in each intake stage (queued = the oldest message's wait for its batch). */
      batchStageMs: Object.fromEntries(
        Object.entries(stats.stageMs as Record<string, number>).map(([k, v]) => [k, stats.batches ? Math.round((v / stats.batches) * 10) / 10 : 0]),
      ),
    };
    say(
      `stored ${rows.d}/${offered} (broker PUBACKs ${acked}, redelivered ${redelivered}, drained in ${drainedMs} ms); batches ${stats.batches}, last batch ${stats.lastBatchSize} msgs in ${stats.lastBatchMs} ms`,
    );
    say(
      `sustained ${result.sustainedPerSec} candidates/s (offered ${result.offeredPerSec}/s); publish→queryable p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; lost ${lost}, duplicated ${duplicated}`,
    );
    say(
      `per batch (ms): ${Object.entries(result.batchStageMs)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
    console.log(JSON.stringify(result));
  } finally {
    if (systemPriority) reniceSystemUnderTest([], 0);
    await cleanup();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Sets the nice value of these processes and of every PostgreSQL process (new connections inherit the postmaster's). */
function reniceSystemUnderTest(pids: number[], nice: number): void {
  for (const pid of [...pids, ...processIdsNamed("postgres")].flatMap(threadIdsOf)) {
    try {
      os.setPriority(pid, nice);
    } catch (err) {
      say(`cannot set the priority of process ${pid}: ${(err as Error).message}`);
    }
  }
}

/** A worker thread running a TypeScript module through tsx, as this bench itself runs. */
function startTsWorker(url: URL, data: unknown): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, {
    eval: true,
    workerData: data,
  });
}

/** Milliseconds on a clock that every thread of this process shares. */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

/** The change-feed reader's thread: reports when each candidate was announced as reported. */
const changeFeedReaderSource = `
const { parentPort, workerData } = require("node:worker_threads");
const clock = () => performance.timeOrigin + performance.now();
(async () => {
  const res = await fetch(workerData.url, { headers: { cookie: workerData.cookie } });
  if (res.status !== 200) return parentPort.postMessage({ error: "GET /api/events answered " + res.status });
  parentPort.postMessage({ ready: true });
  let seen = [];
  setInterval(() => { if (seen.length) { parentPort.postMessage({ seen }); seen = []; } }, 50);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const t = clock();
    buf += dec.decode(value, { stream: true });
    const parts = buf.split("\\n\\n");
    buf = parts.pop();
    for (const p of parts) {
      const data = p.split("\\n").find((l) => l.startsWith("data: "));
      if (!data || !p.includes("event: cases")) continue;
      for (const c of JSON.parse(data.slice(6)).changes) if (c.action === "reported") seen.push([c.candidateId, t]);
    }
  }
})().catch((err) => parentPort.postMessage({ error: String(err) }));
`;

await main();
