import { execFileSync } from "node:child_process";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { topics } from "../../src/contracts/index.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { renderAclFile, renderPasswordFile } from "../../src/backend/security/mosquitto-acl.ts";
import { startPrivateMosquitto, type PrivateMosquitto } from "../support/mosquitto.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { api, candidate, eventually, runTag, startTestBackend, testConfig } from "../backend/backend-harness.ts";

/** Owner of files Mosquitto re-reads after dropping root (as the private test broker does). */
function mosquittoOwner(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return execFileSync("sh", ["-c", "echo $(id -u mosquitto):$(id -g mosquitto)"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Revoking an edge ends its live MQTT session at once, on both brokers CurbWatch runs with,
 * and whatever it tries to publish afterwards is stored nowhere.
 */
describe.runIf(postgresAvailable())("revoking an edge disconnects its live session (real PostgreSQL; aedes and Mosquitto)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  async function scenario(be: RunningBackend, sql: pg.Client, tag: string): Promise<void> {
    const edgeId = `edge-${tag}`;
    const cam = `cam-${tag}`;
    const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: edgeId, name: edgeId } })).body;
    const creds = (await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).body;
    expect((await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: cam, edgeId } })).status).toBeLessThan(300);
    const count = async () => (await sql.query(`SELECT count(*)::int AS n FROM "Case" WHERE "cameraId" = $1`, [cam])).rows[0].n as number;

    // Connect the way the edge does, and show the session works before the revocation.
    const edge: MqttClient = await eventually(
      () => mqtt.connectAsync(be.brokerUrl, { username: creds.mqtt.username, password: creds.mqtt.password, clientId: `${edgeId}-live`, reconnectPeriod: 0 }),
      "edge connected with its enrolled credentials",
    );
    cleanups.push(() => edge.endAsync(true));
    let closed = false;
    edge.on("close", () => (closed = true));
    await edge.publishAsync(topics.cameraCandidate(cam), JSON.stringify(candidate(cam, `${tag}-before`, 0, { edgeId })), { qos: 1 });
    await eventually(async () => ((await count()) === 1 ? true : undefined), "the live session's candidate stored");

    expect((await api(be.url, "POST", `/edges/${edgeId}/revoke`, { as: "admin" })).status).toBe(204);
    await eventually(async () => (closed ? true : undefined), "the revoked edge's live session closed by the broker", 10_000);

    // Its next publish: the old session is gone, and its credentials no longer open a new one.
    edge.publish(topics.cameraCandidate(cam), JSON.stringify(candidate(cam, `${tag}-after`, 0, { edgeId })), { qos: 1 }, () => {});
    await expect(
      mqtt.connectAsync(be.brokerUrl, { username: creds.mqtt.username, password: creds.mqtt.password, clientId: `${edgeId}-again`, reconnectPeriod: 0 }),
    ).rejects.toThrow();
    expect(await count()).toBe(1);
    expect((await sql.query(`SELECT count(*)::int AS n FROM "Case" WHERE "candidateId" = $1`, [`${tag}-after`])).rows[0].n).toBe(0);
  }

  it("embedded broker (aedes)", async () => {
    const tag = runTag();
    const t = await createTestDatabase("cw_revoke_aedes");
    const sql = new pg.Client({ connectionString: t.url });
    await sql.connect();
    const be = await startTestBackend(testConfig({ databaseUrl: t.url, group: tag }));
    cleanups.push(async () => {
      await be.close();
      await sql.end();
      await t.drop();
    });
    await scenario(be, sql, tag);
  }, 60_000);

  it("Mosquitto with the password and ACL files the back end writes (reloaded through its pid file)", async () => {
    const tag = runTag();
    const backend = { username: "curbwatch-backend", password: `backend-${tag}` };
    const broker: PrivateMosquitto = await startPrivateMosquitto({
      conf: ["allow_anonymous false", "password_file {dir}/passwd", "acl_file {dir}/acl", "pid_file {dir}/mosquitto.pid"],
      files: { passwd: renderPasswordFile(backend, []), acl: renderAclFile(backend, []) },
    });
    const t = await createTestDatabase("cw_revoke_mosq");
    const sql = new pg.Client({ connectionString: t.url });
    await sql.connect();
    const cfg = testConfig({ databaseUrl: t.url, mqttUrl: broker.url, group: tag });
    cfg.mqtt.username = backend.username;
    cfg.mqtt.password = backend.password;
    cfg.security.mosquittoFilesDir = broker.dir;
    cfg.security.mosquittoFilesOwner = mosquittoOwner();
    cfg.security.mosquittoPidFile = path.join(broker.dir, "mosquitto.pid");
    const be = await startTestBackend(cfg);
    cleanups.push(async () => {
      await be.close();
      await broker.stop();
      await sql.end();
      await t.drop();
    });
    await scenario(be, sql, tag);
  }, 60_000);
});
