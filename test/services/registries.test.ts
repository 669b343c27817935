// Fast tests of the registries' rules: certificates and vendors in memory.
import { describe, expect, it } from "vitest";
import { CertificateService } from "../../src/backend/services/certificate.service.ts";
import { VendorService } from "../../src/backend/services/vendor.service.ts";
import { InMemoryAccounts } from "../support/in-memory/people.ts";
import { InMemoryCertificates, InMemoryVendors } from "../support/in-memory/registries.ts";
import { FakeClock, HOUR } from "../support/in-memory/clock.ts";

const certificate = { number: "ZF-2026-0001", issuingAuthority: "City Bureau", validFrom: "2026-01-01T00:00:00Z", expiresAt: "2028-01-01T00:00:00Z" };

describe("officer certificates", () => {
  function setup() {
    const clock = new FakeClock();
    const accounts = new InMemoryAccounts();
    accounts.add({ id: "otto", role: "officer", passwordHash: null });
    accounts.add({ id: "olga", role: "operator", passwordHash: null });
    return { clock, certificates: new CertificateService(new InMemoryCertificates(), accounts, clock.now) };
  }

  it("belong to existing officers only, and a number is registered once", async () => {
    const { certificates } = setup();
    await expect(certificates.add("nobody", certificate)).rejects.toMatchObject({ kind: "not_found" });
    await expect(certificates.add("olga", certificate)).rejects.toMatchObject({ kind: "unprocessable" });
    expect(await certificates.add("otto", certificate)).toMatchObject({ userId: "otto", number: certificate.number, revokedAt: null });
    await expect(certificates.add("otto", certificate)).rejects.toMatchObject({ kind: "conflict" });
  });

  it("a second revocation keeps the time of the first", async () => {
    const { certificates, clock } = setup();
    await certificates.add("otto", certificate);
    const first = await certificates.revoke(certificate.number);
    expect(first.revokedAt).toBe(clock.now().toISOString());
    clock.advance(HOUR);
    expect((await certificates.revoke(certificate.number)).revokedAt).toBe(first.revokedAt);
    await expect(certificates.revoke("ZF-unknown")).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("vendors", () => {
  it("show identity numbers masked, except to a deciding role reading one vendor, and that read is recorded", async () => {
    const store = new InMemoryVendors();
    const vendors = new VendorService(store);
    const saved = await vendors.put("v1", { name: "Fruit cart", description: null, idNumber: "110101199003071234" });
    expect([saved.idNumber, saved.idNumberMasked]).toEqual(["110***********1234", true]);
    expect((await vendors.list())[0]!.idNumber).toBe("110***********1234");

    const viewer = await vendors.get("v1", { id: "sam", role: "supervisor", name: "Sam" });
    expect(viewer.idNumberMasked).toBe(true);
    expect(store.record).toEqual([]);

    const operator = await vendors.get("v1", { id: "olga", role: "operator", name: "Olga" });
    expect([operator.idNumber, operator.idNumberMasked]).toEqual(["110101199003071234", false]);
    expect(store.record).toEqual([
      { chain: "vendor:v1", actorId: "olga", action: "personal_data.id_number_read", after: { vendorId: "v1", role: "operator" } },
    ]);
    await expect(vendors.get("v2", { id: "olga", role: "operator", name: "Olga" })).rejects.toMatchObject({ kind: "not_found" });
  });
});
