import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topics, type CandidateEvent } from "../../src/contracts/index.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { candidate, eventually, publishCandidate, publisher, runTag } from "./backend-harness.ts";

/** The consumer's default drain bound, plus the database and broker close bounds, plus process start-up slack. */
const SHUTDOWN_LIMIT_MS = 10_000 + 3_000 + 2_000 + 5_000;

describe.runIf(postgresAvailable() && mosquittoAvailable())("a poison candidate cannot stop intake (real PostgreSQL + Mosquitto, spawned back end)", () => {
  const tag = runTag();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-poison-"));
  let url: string;
  let drop: () => Promise<void>;
  let sql: pg.Client;
  let edgeA: MqttClient;
  let edgeB: MqttClient;
  let proc: Spawned | null = null;
  let base = "";

  async function startBackend(): Promise<void> {
    const port = await freePort();
    proc = spawnCurbwatch(["backend"], {
      env: {
        DATABASE_URL: url,
        MQTT_URL: MOSQUITTO_URL,
        MQTT_SHARED_GROUP: tag,
        MQTT_INGEST_CLIENT_ID: `${tag}-ingest`,
        PORT: String(port),
        HOST: "127.0.0.1",
        CURBWATCH_DATA_DIR: dir,
        DEMO_ENABLED: "false",
        CURBWATCH_INITIAL_ADMIN_PASSWORD: testPassword("admin"),
      },
    });
    await proc.waitFor(/candidate ingest subscribed/, 60_000);
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/health`, (s) => s === 200);
  }

  const storedIds = async (): Promise<Set<string>> =>
    new Set((await sql.query(`SELECT "candidateId" FROM "Case" WHERE "candidateId" LIKE $1`, [`${tag}-%`])).rows.map((r) => r.candidateId));
  const asAdmin = async (p: string) => {
    const r = await fetch(`${base}/api${p}`, { headers: { cookie: await loginAs(base, "admin", { fresh: true }) } });
    return { status: r.status, body: await r.json() };
  };

  beforeAll(async () => {
    const t = await createTestDatabase("cw_poison");
    url = t.url;
    drop = t.drop;
    sql = new pg.Client({ connectionString: url });
    await sql.connect();
    await startBackend();
    edgeA = await publisher(MOSQUITTO_URL, `${tag}a`);
    edgeB = await publisher(MOSQUITTO_URL, `${tag}b`);
  }, 120_000);

  afterAll(async () => {
    await edgeA?.endAsync();
    await edgeB?.endAsync();
    await proc?.stop("SIGKILL");
    await sql?.end();
    await drop?.();
  });

  it("stores the valid candidates of two edges around NUL, lone-surrogate and database-refused ones, reports them, and SIGTERM exits in bounded time", async () => {
    const camA = `${tag}-camA`;
    const camB = `${tag}-camB`;
    const valid = (cam: string, edge: string, n: number): CandidateEvent => candidate(cam, `${tag}-${edge}-${n}`, 0, { edgeId: edge });
    const published: string[] = [];
    const send = async (client: MqttClient, e: CandidateEvent) => {
      await publishCandidate(client, e);
      published.push(e.candidateId);
    };
    for (let n = 0; n < 5; n++) {
      await send(edgeA, valid(camA, "edge-a", n));
      await send(edgeB, valid(camB, "edge-b", n));
    }
    // Schema-valid before, refused by the contract now: NUL and a lone surrogate in text fields.
    await publishCandidate(edgeA, candidate(camA, `${tag}-nul`, 0, { edgeId: "edge-a", zoneId: "zone\u0000-1" }));
    await edgeA.publishAsync(
      topics.cameraCandidate(camA),
      JSON.stringify(candidate(camA, `${tag}-surrogate`, 0, { edgeId: "edge-a", ruleId: "rule-\ud800" })),
      { qos: 1 },
    );
    // Schema-valid and still refused by PostgreSQL (year 0 is out of range): isolated and dead-lettered.
    await publishCandidate(edgeB, candidate(camB, `${tag}-year0`, 0, { edgeId: "edge-b", startedAt: "0000-01-01T00:00:00Z" }));
    for (let n = 5; n < 10; n++) {
      await send(edgeB, valid(camB, "edge-b", n));
      await send(edgeA, valid(camA, "edge-a", n));
    }

    const stored = await eventually(async () => {
      const s = await storedIds();
      return published.every((id) => s.has(id)) ? s : undefined;
    }, "every valid candidate of both edges stored");
    expect(
      [...stored].filter((id) => !published.includes(id)),
      "nothing but the valid candidates is stored",
    ).toEqual([]);

    const stats = (await asAdmin("/ingest/stats")).body;
    expect(stats.rejected.schema, "NUL and lone surrogate are rejected by the contract").toBeGreaterThanOrEqual(2);
    expect(stats.deadLettered).toBeGreaterThanOrEqual(1);

    const dead = await asAdmin("/ingest/dead-letters");
    expect(dead.status).toBe(200);
    // The shared broker also carries other tests' candidates; only this run's count here.
    const mine = dead.body.items.filter((i: { candidateId: string }) => i.candidateId.startsWith(tag));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ candidateId: `${tag}-year0`, cameraId: camB, edgeId: "edge-b", seq: 0 });
    expect(mine[0].reason).toMatch(/22008/);
    expect(JSON.parse(mine[0].payload).startedAt).toBe("0000-01-01T00:00:00Z");

    const probe = await fetch(`${base}/api/health`);
    expect(probe.status, "intake trouble keeps the replica serving").toBe(200);
    expect(await probe.json(), "a probe sees only the summary").toEqual({ status: "degraded" });
    const health = await fetch(`${base}/api/health`, { headers: { cookie: await loginAs(base, "admin") } });
    const report = await health.json();
    expect(report.status).toBe("degraded");
    expect(report.intake.status).toBe("degraded");
    expect(report.intake.deadLettersLastHour).toBeGreaterThanOrEqual(1);
    expect(report.intake.rejectedLastHour).toBeGreaterThanOrEqual(3);

    // Intake blocked (the Case table locked) while a candidate is in flight: SIGTERM still
    // exits in bounded time, and the candidate, never acknowledged, is stored after a restart.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE "Case" IN ACCESS EXCLUSIVE MODE`);
    const blocked = valid(camA, "edge-a", 99);
    await publishCandidate(edgeA, blocked);
    await eventually(
      async () => ((await asAdmin("/ingest/stats")).body.oldestPendingAgeMs > 0 ? true : undefined),
      "the blocked candidate waits in the writer",
    );
    const signalledAt = Date.now();
    proc!.child.kill("SIGTERM");
    const code = await Promise.race([proc!.exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), SHUTDOWN_LIMIT_MS))]);
    const tookMs = Date.now() - signalledAt;
    await locker.query("ROLLBACK");
    await locker.end();
    expect(code, `back end after SIGTERM (${tookMs} ms):\n${proc!.output().slice(-2000)}`).not.toBe("still running");
    expect(proc!.output()).toMatch(/shutdown drain bound reached/);

    await startBackend();
    await eventually(
      async () => ((await storedIds()).has(blocked.candidateId) ? true : undefined),
      "the unacknowledged candidate stored after the restart",
      30_000,
    );
  }, 180_000);
});
