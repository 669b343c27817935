import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";

describe("curbwatch start (embedded defaults)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-start-"));
  let proc: Spawned | undefined;
  afterAll(async () => {
    await proc?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("boots in an empty directory; /api/health is green with database, broker and the edge worker up; SIGTERM exits cleanly", async () => {
    const [port, mqttPort] = await Promise.all([freePort(), freePort()]);
    proc = spawnCurbwatch(["start"], { cwd: dir, env: { PORT: String(port), MQTT_EMBEDDED_PORT: String(mqttPort) } });
    const health = await waitForHttp(`http://127.0.0.1:${port}/api/health`, (status, body) => status === 200 && body.includes('"state":"online"'), 90_000);
    const report = JSON.parse(health.body);
    expect(report.status).toBe("ok");
    expect(report.database).toEqual({ up: true, kind: "pglite" });
    expect(report.broker).toMatchObject({ up: true, embedded: true });
    expect(report.edges).toEqual([expect.objectContaining({ edgeId: "edge-1", state: "online" })]);
    expect(fs.existsSync(path.join(dir, "data/pglite"))).toBe(true);

    const code = await proc.stop("SIGTERM");
    expect(code).toBe(0);
    expect(proc.output()).toMatch(/"msg":"shutting down"/);
  });
});
