import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/load.ts";
import { spawnCurbwatch } from "../support/process.ts";

describe("configuration", () => {
  it("has working defaults with no file and no environment", () => {
    const cfg = loadConfig({ env: {}, cwd: "/srv/cw" });
    expect(cfg.server.port).toBe(8080);
    expect(cfg.dataDir).toBe("/srv/cw/data");
    expect(cfg.evidence.dir).toBe("/srv/cw/data/evidence");
    expect(cfg.database.url).toBeUndefined();
    expect(cfg.mqtt.url).toBeUndefined();
  });

  it("lets the environment override the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-cfg-"));
    fs.writeFileSync(path.join(dir, "curbwatch.yaml"), "server:\n  port: 9000\nedge:\n  id: north-1\n");
    const cfg = loadConfig({ env: { PORT: "9100" }, cwd: dir });
    expect(cfg.server.port).toBe(9100);
    expect(cfg.edge.id).toBe("north-1");
  });

  it("names the key, its source and the problem for a bad value", () => {
    let err: unknown;
    try {
      loadConfig({ env: { PORT: "http", DATABASE_URL: "mysql://x" }, cwd: "/tmp" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues;
    expect(issues.map((i) => i.key).sort()).toEqual(["database.url", "server.port"]);
    expect((err as Error).message).toMatch(/server\.port \(from environment variable PORT\)/);
    expect((err as Error).message).toMatch(/database\.url \(from environment variable DATABASE_URL\): must start with postgresql:\/\//);
  });

  it("rejects unknown keys in the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-cfg-"));
    const file = path.join(dir, "cw.yaml");
    fs.writeFileSync(file, "sever:\n  port: 9000\n");
    expect(() => loadConfig({ file, env: {}, cwd: dir })).toThrow(/unknown key\(s\): sever/);
  });

  it("`curbwatch start` with a bad value exits non-zero and says which key", async () => {
    const proc = spawnCurbwatch(["start"], { cwd: os.tmpdir(), env: { PORT: "99999" } });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toMatch(/Invalid configuration:\n\s+- server\.port \(from environment variable PORT\): .*65535/);
  });
});
