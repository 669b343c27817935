import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { CurbWatchConfig } from "../../src/config/schema.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { candidate, runTag, startTestBackend, testConfig } from "../backend/backend-harness.ts";
import { startPrivateMosquitto, type PrivateMosquitto } from "../support/mosquitto.ts";
import { createTestDatabase, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { SimulatedEdge } from "../support/simulated-edge.ts";

/**
 * End-to-end acknowledgement: an edge forgets a candidate only when the back end confirms the
 * commit, so a broker that drops or loses messages it already PUBACKed loses nothing.
 */
describe.runIf(postgresAvailable() && mosquittoAvailable())("candidate intake through a broker that drops and crashes", () => {
  let db: { url: string; drop: () => Promise<void> };
  let sql: pg.Client;
  let broker: PrivateMosquitto | null = null;
  let backend: RunningBackend | null = null;
  let edges: SimulatedEdge[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("cw_intake");
    sql = new pg.Client({ connectionString: db.url });
  });
  afterEach(async () => {
    await Promise.all(edges.map((e) => e.close()));
    edges = [];
    await backend?.close();
    backend = null;
    await broker?.stop();
    broker = null;
  });
  afterAll(async () => {
    await sql.end().catch(() => {});
    await db.drop();
  });

  async function storedOf(tag: string) {
    if (!sql.listeners("error").length) {
      sql.on("error", () => {});
      await sql.connect();
    }
    const cases = (await sql.query(`SELECT count(*)::int AS n, count(DISTINCT "candidateId")::int AS d FROM "Case" WHERE "candidateId" LIKE $1`, [`${tag}-%`]))
      .rows[0];
    const reported = (await sql.query(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE action = 'candidate.reported' AND chain LIKE $1`, [`${tag}-%`]))
      .rows[0];
    return { rows: cases.n as number, distinct: cases.d as number, reported: reported.n as number };
  }

  /** `count` candidates spread over the edges, each its own situation (seq 0), queued 50 at a time. */
  function offer(tag: string, count: number): void {
    edges.forEach((edge, e) => {
      const mine = Array.from({ length: count }, (_, i) => i).filter((i) => i % edges.length === e);
      for (let k = 0; k < mine.length; k += 50)
        edge.publish(mine.slice(k, k + 50).map((i) => candidate(`${tag}-cam${e}`, `${tag}-${i}`, 0, { edgeId: edge.edgeId })));
    });
  }

  function configFor(tag: string): CurbWatchConfig {
    return testConfig({ databaseUrl: db.url, mqttUrl: broker!.url, group: tag, ingestClientId: `cw-ingest-${tag}` });
  }

  it("with max_queued_messages 10 and the back end stopped while 5,000 candidates are published, stores each exactly once", async () => {
    const tag = runTag();
    broker = await startPrivateMosquitto({ persistence: true, conf: ["allow_anonymous true", "max_queued_messages 10"] });
    const cfg = configFor(tag);
    // The back end's persistent sessions exist (the broker queues for them), then it goes away.
    backend = await startTestBackend(cfg);
    await backend.close();
    backend = null;

    edges = [0, 1].map((i) => new SimulatedEdge(`${tag}-edge${i}`, broker!.url, { redeliverAfterMs: 500, maxUnconfirmed: 200 }));
    const total = 5000;
    offer(tag, total);
    // The broker says "got it" for far more than it can queue (10 per session): the rest it drops.
    await waitFor(() => edges.reduce((n, e) => n + e.outbox.brokerAcked, 0) >= 1000, 30_000, "broker PUBACKs");
    expect((await storedOf(tag)).rows).toBe(0);
    backend = await startTestBackend(configFor(tag));
    await Promise.all(edges.map((e) => e.drained(40_000)));

    const stored = await storedOf(tag);
    expect(stored).toEqual({ rows: total, distinct: total, reported: total });
    // The broker really dropped: edges had to send again what it had acknowledged.
    expect(edges.reduce((n, e) => n + e.outbox.redelivered, 0)).toBeGreaterThan(0);
    expect(edges.reduce((n, e) => n + e.outbox.delivered, 0)).toBe(total);
  }, 90_000);

  it("a broker killed with SIGKILL while holding a backlog, then restarted, loses and duplicates nothing", async () => {
    const tag = runTag();
    broker = await startPrivateMosquitto({ persistence: true, conf: ["allow_anonymous true", "max_queued_messages 100000"] });
    backend = await startTestBackend(configFor(tag));
    await backend.close();
    backend = null;

    edges = [0, 1].map((i) => new SimulatedEdge(`${tag}-edge${i}`, broker!.url, { redeliverAfterMs: 3000, maxUnconfirmed: 5000 }));
    const total = 3000;
    offer(tag, total);
    // Generous bounds: these wait for events, and the whole suite may share the cores meanwhile.
    await waitFor(() => edges.reduce((n, e) => n + e.outbox.brokerAcked, 0) >= total, 60_000, "broker PUBACKs");
    // The backlog sits in the broker for the stopped back end; kill it before (or while) it saves its store.
    await broker.kill("SIGKILL");
    await broker.start();
    backend = await startTestBackend(configFor(tag));
    await Promise.all(edges.map((e) => e.drained(100_000)));

    expect(await storedOf(tag)).toEqual({ rows: total, distinct: total, reported: total });
    expect(edges.reduce((n, e) => n + e.outbox.delivered, 0)).toBe(total);
  }, 180_000);
});

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
