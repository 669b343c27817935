import fs from "node:fs";
import { loginAs, testPassword } from "../support/login.ts";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { MqttClient } from "mqtt";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";
import { candidate, eventually, publishCandidate, publisher, runTag } from "./backend-harness.ts";

/**
 * Two back-end processes in one shared-subscription group on real Mosquitto. One is
 * killed (SIGKILL, no goodbye) while candidates flow and then restarted with the same
 * client id: its persistent session hands back what it had not acked.
 */
describe.runIf(postgresAvailable() && mosquittoAvailable())("two back-end replicas on one broker", () => {
  const tag = runTag();
  const cam = `cam-${tag}`;
  const total = 600;
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), "cw-rep-a-")), fs.mkdtempSync(path.join(os.tmpdir(), "cw-rep-b-"))];
  let url: string;
  let drop: () => Promise<void>;
  let sql: pg.Client;
  let pub: MqttClient;
  const procs: Spawned[] = [];

  async function startReplica(name: "a" | "b", dir: string): Promise<{ proc: Spawned; base: string }> {
    const port = await freePort();
    const proc = spawnCurbwatch(["backend"], {
      env: {
        DATABASE_URL: url,
        MQTT_URL: MOSQUITTO_URL,
        MQTT_SHARED_GROUP: tag,
        MQTT_INGEST_CLIENT_ID: `${tag}-${name}`,
        INGEST_CONNECTIONS: "2",
        PORT: String(port),
        HOST: "127.0.0.1",
        CURBWATCH_DATA_DIR: dir,
        DEMO_ENABLED: "false",
        CURBWATCH_INITIAL_ADMIN_PASSWORD: testPassword("admin"),
      },
    });
    procs.push(proc);
    await proc.waitFor(/candidate ingest subscribed/, 60_000);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/health`, (s) => s === 200);
    return { proc, base };
  }

  const stored = async () => {
    const r = await sql.query(`SELECT count(*)::int AS n, count(DISTINCT "candidateId")::int AS d FROM "Case" WHERE "cameraId" = $1`, [cam]);
    return r.rows[0] as { n: number; d: number };
  };

  beforeAll(async () => {
    const t = await createTestDatabase("cw_replicas");
    url = t.url;
    drop = t.drop;
    sql = new pg.Client({ connectionString: url });
    await sql.connect();
    pub = await publisher(MOSQUITTO_URL, tag);
  });
  afterAll(async () => {
    await pub?.endAsync();
    for (const p of procs) await p.stop("SIGKILL");
    await sql?.end();
    await drop?.();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("stores each candidate exactly once across replicas, and killing one mid-load loses nothing", async () => {
    // Replica a migrates the fresh database first; b then starts on a migrated one.
    const a = await startReplica("a", dirs[0]);
    const b = await startReplica("b", dirs[1]);
    let killed = false;
    let bReceivedBeforeKill = 0;
    for (let i = 0; i < total; i++) {
      await publishCandidate(pub, candidate(cam, `${tag}-c${String(i).padStart(4, "0")}`, 0));
      if (i === Math.floor(total / 2) && !killed) {
        bReceivedBeforeKill = (await (await fetch(`${b.base}/api/ingest/stats`, { headers: { cookie: await loginAs(b.base, "admin") } })).json()).received;
        await b.proc.stop("SIGKILL");
        killed = true;
      }
    }
    expect(bReceivedBeforeKill, "the shared subscription gave replica b a share").toBeGreaterThan(0);
    // Restarted with the same client id, b gets back its session with everything it had not acked.
    await startReplica("b", dirs[1]);
    const final = await eventually(
      async () => {
        const s = await stored();
        return s.n >= total ? s : undefined;
      },
      `${total} candidates stored`,
      60_000,
    );
    expect(final).toEqual({ n: total, d: total });
    const reported = await sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT chain)::int AS d FROM "AuditEntry" WHERE action = 'candidate.reported' AND chain LIKE $1`,
      [`${tag}-c%`],
    );
    expect(reported.rows[0], "each candidate recorded as reported exactly once").toEqual({ n: total, d: total });
    const aStats = await (await fetch(`${a.base}/api/ingest/stats`, { headers: { cookie: await loginAs(a.base, "admin") } })).json();
    expect(aStats.received).toBeGreaterThan(0);
    expect(aStats.received).toBeLessThan(total + 50);
  });
});
