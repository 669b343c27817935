import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { testPassword } from "../support/login.ts";
import { api, runTag, startTestBackend, testConfig } from "./backend-harness.ts";

// Every registry answer passes its contract here (the suite checks responses, CURBWATCH_CHECK_RESPONSES=1):
// a drift between service and contract then fails as a 500, not in the console.
describe.runIf(postgresAvailable() && mosquittoAvailable())("reference registry answers inside its API contract (real PostgreSQL)", () => {
  const tag = runTag();
  let drop: () => Promise<void>;
  let be: RunningBackend;

  beforeAll(async () => {
    const t = await createTestDatabase("cw_registry_contract");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, mqttUrl: MOSQUITTO_URL, group: tag }));
  });
  afterAll(async () => {
    await be?.close();
    await drop?.();
  });

  it("users and certificates: saved, listed, revoked, with dates as ISO strings", async () => {
    const id = `officer-${tag}`;
    const put = await api(be.url, "PUT", `/users/${id}`, {
      as: "admin",
      body: { name: "Officer", role: "officer", streets: ["Main"], password: testPassword(id) },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, role: "officer", mustChangePassword: true, certificates: [] });
    expect(put.body).not.toHaveProperty("passwordHash");
    const cert = { number: `C-${tag}`, issuingAuthority: "City", validFrom: "2024-01-01T00:00:00.000Z", expiresAt: "2030-01-01T00:00:00.000Z" };
    expect((await api(be.url, "POST", `/users/${id}/certificates`, { as: "admin", body: cert })).body).toMatchObject({ ...cert, revokedAt: null });
    const revoked = await api(be.url, "POST", `/certificates/C-${tag}/revoke`, { as: "admin", body: {} });
    expect(revoked.status).toBe(200);
    expect(typeof revoked.body.revokedAt).toBe("string");
    const list = await api(be.url, "GET", "/users", { as: "admin" });
    expect(list.status).toBe(200);
    expect(list.body.find((u: { id: string }) => u.id === id).certificates).toHaveLength(1);
    expect((await api(be.url, "POST", `/users/${id}/unlock`, { as: "admin", body: {} })).body).toEqual({ username: id, cleared: expect.any(Number) });
  });

  it("shops, vendors, event codes and rejection reasons", async () => {
    const shop = {
      name: "Shop",
      address: "1 Main St",
      frontLine: [
        [0.1, 0.5],
        [0.4, 0.5],
      ],
    };
    expect((await api(be.url, "PUT", `/shops/s-${tag}`, { as: "admin", body: shop })).body).toMatchObject({ ...shop, licenceNo: null });
    expect((await api(be.url, "GET", "/shops", { as: "admin" })).status).toBe(200);

    const put = await api(be.url, "PUT", `/vendors/v-${tag}`, { as: "admin", body: { name: "Vendor", idNumber: "110101199001011234" } });
    expect(put.body).toMatchObject({ idNumberMasked: true });
    expect(put.body.idNumber).not.toBe("110101199001011234");
    expect((await api(be.url, "GET", `/vendors/v-${tag}`, { as: "admin" })).body).toMatchObject({ idNumber: "110101199001011234", idNumberMasked: false });
    expect((await api(be.url, "GET", "/vendors", { as: "admin" })).status).toBe(200);

    const code = { name: "Vending", timeLimitMinutes: 60 };
    expect((await api(be.url, "PUT", "/event-codes/97/01", { as: "admin", body: code })).body).toEqual({
      major: "97",
      minor: "01",
      ...code,
      priority: 0,
      minorViolation: true,
      active: true,
    });
    expect((await api(be.url, "GET", "/event-codes", { as: "admin" })).status).toBe(200);

    const reason = { label: "Not a vendor" };
    expect((await api(be.url, "PUT", `/reject-reasons/r_${tag}`, { as: "admin", body: reason })).body).toMatchObject({
      ...reason,
      requiresText: false,
      sortOrder: 0,
    });
    expect((await api(be.url, "GET", "/reject-reasons", { as: "admin" })).status).toBe(200);
  });
});
