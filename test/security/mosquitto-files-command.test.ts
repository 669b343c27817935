import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { startPrivateMosquitto, type PrivateMosquitto } from "../support/mosquitto.ts";
import { spawnCurbwatch } from "../support/process.ts";
import { createTestDatabase, mosquittoAvailable, postgresAvailable } from "../support/services.ts";

/** "uid:gid" of the mosquitto user when we run as root (Mosquitto then drops to it). */
function mosquittoOwner(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return execFileSync("sh", ["-c", "echo $(id -u mosquitto):$(id -g mosquitto)"], { encoding: "utf8" }).trim();
}

describe.runIf(postgresAvailable() && mosquittoAvailable())("curbwatch mosquitto-files (first boot of a locked-down broker)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-mosq-files-"));
  let drop: (() => Promise<void>) | undefined;
  let broker: PrivateMosquitto | undefined;
  afterAll(async () => {
    await broker?.stop();
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes passwd and acl that a real Mosquitto accepts: the back end's account gets in, anonymous clients do not", async () => {
    const db = await createTestDatabase("cw_mosqfiles");
    drop = db.drop;
    // Like the shared volume of docker-compose: a directory Mosquitto can enter, files it must own.
    const filesDir = path.join(dir, "auth");
    fs.mkdirSync(filesDir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const owner = mosquittoOwner();
    const run = spawnCurbwatch(["mosquitto-files"], {
      cwd: dir,
      env: {
        DATABASE_URL: db.url,
        MOSQUITTO_FILES_DIR: filesDir,
        ...(owner ? { MOSQUITTO_FILES_OWNER: owner } : {}),
        MQTT_USERNAME: "curbwatch-backend",
        MQTT_PASSWORD: "backend-pass-123",
        CURBWATCH_DATA_DIR: dir,
      },
    });
    expect(await run.exited, run.output()).toBe(0);
    const passwd = fs.readFileSync(path.join(filesDir, "passwd"), "utf8");
    expect(passwd).toMatch(/^curbwatch-backend:\$7\$/m);
    expect(passwd).not.toContain("backend-pass-123");

    // Mosquitto reads the files where the command wrote them, as its own user.
    broker = await startPrivateMosquitto({
      conf: ["allow_anonymous false", `password_file ${filesDir}/passwd`, `acl_file ${filesDir}/acl`],
    });
    const backend = await mqtt.connectAsync(broker.url, { username: "curbwatch-backend", password: "backend-pass-123", reconnectPeriod: 0 });
    await backend.endAsync();
    await expect(mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/i);
  });

  it("says which setting is missing", async () => {
    const run = spawnCurbwatch(["mosquitto-files"], { cwd: dir, env: { CURBWATCH_DATA_DIR: dir, MQTT_USERNAME: "u", MQTT_PASSWORD: "p" } });
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toMatch(/set MOSQUITTO_FILES_DIR/);
  });
});
