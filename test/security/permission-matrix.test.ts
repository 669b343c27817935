import { Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBackend } from "../../src/backend/server.ts";
import { startBackend } from "../../src/backend/server.ts";
import { backendModules } from "../../src/backend/modules.ts";
import { declaredRoutes } from "../../src/backend/http/api-route.ts";
import { userRoles } from "../../src/backend/http/actor.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { api, testConfig, runTag } from "../backend/backend-harness.ts";

/** A path of a declared route with every parameter filled by a value that names nothing. */
const concrete = (path: string) =>
  path
    .replace(/:sha256/g, "0".repeat(64))
    .replace(/:(major|minor)/g, "99")
    .replace(/:[A-Za-z0-9_]+/g, "no-such-thing");

async function call(base: string, method: string, path: string, cookie?: string): Promise<number> {
  const controller = new AbortController();
  const r = await fetch(`${base}/api${path}`, {
    method: method.toUpperCase(),
    headers: { ...(cookie ? { cookie } : {}), ...(method !== "get" ? { "content-type": "application/json" } : {}) },
    body: method !== "get" ? "{}" : undefined,
    signal: controller.signal,
  });
  controller.abort(); // SSE and files: the status is all we need
  return r.status;
}

describe.runIf(postgresAvailable())("every declared route × every role and anonymous: allow/deny as declared", () => {
  let be: RunningBackend;
  let drop: () => Promise<void>;
  const tag = runTag();
  // A route mounted with plain express, bypassing apiRoute: it must be refused.
  const sneaky = Router();
  sneaky.get("/sneaky-undeclared", (_req, res) => {
    res.json({ leaked: true });
  });

  beforeAll(async () => {
    const t = await createTestDatabase("cw_matrix");
    drop = t.drop;
    const cfg = testConfig({
      databaseUrl: t.url,
      group: tag,
      extra: { security: { initialAdminPassword: testPassword("admin"), publicRequestsPerMinute: 10_000 } },
    });
    be = await startBackend(cfg, createLogger("matrix", "silent"), [...backendModules, () => ({ name: "sneaky", routes: [sneaky] })]);
    for (const role of userRoles.filter((r) => r !== "administrator")) {
      const r = await api(be.url, "PUT", `/users/${role}-user`, { as: "admin", body: { name: role, role, password: testPassword(`${role}-user`) } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  });
  afterAll(async () => {
    await be?.close();
    await drop?.();
  });

  it("declares an access policy on every route", () => {
    expect(declaredRoutes.length).toBeGreaterThan(40);
    for (const r of declaredRoutes)
      expect(r.access === "public" || r.access === "edge" || (Array.isArray(r.access) && r.access.length > 0), `${r.method} ${r.path}`).toBe(true);
  });

  it("answers each call as its declaration says", async () => {
    const users = Object.fromEntries(userRoles.map((role) => [role, role === "administrator" ? "admin" : `${role}-user`]));
    const failures: string[] = [];
    const routes = declaredRoutes.filter((r) => r.path !== "/auth/logout");
    for (const route of routes) {
      const path = concrete(route.path);
      const anon = await call(be.url, route.method, path);
      if (route.access === "public") {
        if (anon === 401 || anon === 403) failures.push(`${route.method} ${route.path} is public but anonymous got ${anon}`);
      } else if (anon !== 401) failures.push(`${route.method} ${route.path} anonymous got ${anon}, expected 401`);
      for (const role of userRoles) {
        const status = await call(be.url, route.method, path, await loginAs(be.url, users[role]));
        const allowed = route.access === "public" || (Array.isArray(route.access) && route.access.includes(role));
        // An allowed caller may still get 403 from a rule about the object (not your task); with objects that do not exist, it never does.
        if (allowed && (status === 401 || status === 403)) failures.push(`${route.method} ${route.path} as ${role}: ${status}, but the role is allowed`);
        if (!allowed && status !== 403) failures.push(`${route.method} ${route.path} as ${role}: ${status}, expected 403`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("logs out for every role (the session dies on the server)", async () => {
    for (const role of userRoles) {
      const user = role === "administrator" ? "admin" : `${role}-user`;
      const cookie = await loginAs(be.url, user, { fresh: true });
      expect(await call(be.url, "post", "/auth/logout", cookie)).toBe(204);
      expect(await call(be.url, "get", "/auth/me", cookie), `${role}'s cookie after logout`).toBe(401);
    }
    expect(await call(be.url, "post", "/auth/logout")).toBe(401);
  });

  it("refuses routes that were not declared through apiRoute, even when a router would serve them", async () => {
    const admin = await loginAs(be.url, "admin", { fresh: true });
    const r = await fetch(`${be.url}/api/sneaky-undeclared`, { headers: { cookie: admin } });
    expect(r.status).toBe(403);
    expect(await r.text()).not.toContain("leaked");
    expect(await call(be.url, "get", "/no/such/route", admin)).toBe(403);
  });
});
