import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { envOverrides } from "../../src/config/schema.ts";
import { loadConfig } from "../../src/config/load.ts";
import { repoRoot } from "../support/paths.ts";

describe("docker-compose.yml", () => {
  const compose = YAML.parse(fs.readFileSync(path.join(repoRoot, "docker-compose.yml"), "utf8"));

  it("sets only environment variables that CurbWatch reads, with values its config accepts", () => {
    for (const name of ["backend", "edge", "broker-auth"]) {
      const env: Record<string, string> = compose.services[name].environment;
      for (const key of Object.keys(env)) expect(Object.keys(envOverrides), `${name}: ${key} is not a CurbWatch setting`).toContain(key);
      // Compose-style ${VAR:-default} / ${VAR:?msg} placeholders stand for operator-supplied values.
      const concrete = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:[-?]([^}]*)\}/g, (_m, d: string) => (d.includes(" ") ? "0".repeat(64) : d))]),
      );
      expect(() => loadConfig({ env: concrete, cwd: "/app" })).not.toThrow();
    }
  });

  it("locks the broker down: no anonymous clients, password and ACL files written before Mosquitto starts", () => {
    const conf = fs.readFileSync(path.join(repoRoot, compose.services.mosquitto.volumes[0].split(":")[0]), "utf8");
    expect(conf).toMatch(/^allow_anonymous false$/m);
    expect(conf).toMatch(/^password_file \/mosquitto\/auth\/passwd$/m);
    expect(conf).toMatch(/^acl_file \/mosquitto\/auth\/acl$/m);
    expect(compose.services.mosquitto.depends_on["broker-auth"].condition).toBe("service_completed_successfully");
    expect(compose.services.backend.environment.MOSQUITTO_FILES_DIR).toBe(compose.services["broker-auth"].environment.MOSQUITTO_FILES_DIR);
  });

  it("runs the roles the CLI has", () => {
    expect(compose.services.backend.command).toEqual(["backend"]);
    expect(compose.services.edge.command).toEqual(["edge"]);
    expect(compose.services["broker-auth"].command).toEqual(["mosquitto-files"]);
  });
});
