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
    const adminPassword = `Start-Admin-${process.pid}-Pw`;
    proc = spawnCurbwatch(["start"], {
      cwd: dir,
      env: {
        PORT: String(port),
        MQTT_EMBEDDED_PORT: String(mqttPort),
        CURBWATCH_INITIAL_ADMIN_PASSWORD: adminPassword,
        CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "true",
      },
    });
    const base = `http://127.0.0.1:${port}`;
    const probe = await waitForHttp(`${base}/api/health`, (status) => status === 200, 90_000);
    expect(JSON.parse(probe.body), "what a probe without a session sees").toEqual({ status: "up" });
    // The fleet view needs an administrator's (or operator's) session.
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: adminPassword }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    let body = "";
    await expect
      .poll(async () => (body = await (await fetch(`${base}/api/health`, { headers: { cookie } })).text()).includes('"state":"online"'), {
        timeout: 90_000,
        interval: 500,
      })
      .toBe(true);
    const report = JSON.parse(body);
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
