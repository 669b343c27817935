import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/load.ts";

const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, cwd: "/tmp" });

describe("trusted proxies are off unless named", () => {
  it("trusts no proxy by default", () => {
    expect(load({}).server.trustProxy).toEqual([]);
  });

  it("reads a comma-separated list of addresses, CIDRs and named ranges from TRUST_PROXY", () => {
    expect(load({ TRUST_PROXY: "10.0.0.5, 10.1.0.0/16,loopback,fd00::/8" }).server.trustProxy).toEqual(["10.0.0.5", "10.1.0.0/16", "loopback", "fd00::/8"]);
  });

  it.each(["proxy.example", "10.0.0.0/33", "10.0.0.1/8/1", "*"])("refuses %s, naming the key", (value) => {
    expect(() => load({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => load({ TRUST_PROXY: value })).toThrow(/server\.trustProxy/);
  });
});
