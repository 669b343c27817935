// Fast tests of the camera registry's rules: cameras and edges in memory, no broker, no database.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { CameraRegistryService } from "../../src/backend/services/camera-registry.service.ts";
import { CameraSecrets } from "../../src/backend/services/camera-secrets.ts";
import { SecretBox } from "../../src/backend/security/secret-box.ts";
import { cameraBody } from "../../src/contracts/api/camera.ts";
import { InMemoryCameras, InMemoryEdges } from "../support/in-memory/cameras-and-edges.ts";

const square = {
  id: "kerb",
  polygon: [
    [0.1, 0.5],
    [0.4, 0.5],
    [0.4, 0.8],
    [0.1, 0.8],
  ],
};
const vending = { id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" } };
const overflow = {
  id: "spill",
  kind: "shop_overflow",
  shopId: "bakery",
  eventCode: { major: "05", minor: "01" },
  frontLine: [
    [0.1, 0.5],
    [0.4, 0.5],
  ],
  streetSidePoint: [0.2, 0.7],
};

function setup() {
  const cameras = new InMemoryCameras();
  const edges = new InMemoryEdges();
  const activeCodes = new Set(["05/01"]);
  const shops = new Set(["bakery"]);
  /** What reached the outside: configs published per edge, broker policy rewrites. */
  const published: string[] = [];
  let policyRewrites = 0;
  const registry = new CameraRegistryService(
    {
      cameras,
      edges,
      eventCodes: { isActive: async (major, minor) => activeCodes.has(`${major}/${minor}`) },
      shops: { countExisting: async (ids) => ids.filter((id) => shops.has(id)).length },
    },
    new CameraSecrets(new SecretBox(crypto.randomBytes(32))),
    {
      publish: async (edgeId) => {
        published.push(edgeId);
        return 1;
      },
    },
    async () => {
      policyRewrites++;
    },
  );
  return { registry, cameras, edges, published, policyRewrites: () => policyRewrites };
}

/** A request body as the controller hands it over (parsed, defaults filled in). */
const body = (b: Record<string, unknown>) => cameraBody.parse({ name: "Market St 1", ...b });

describe("camera registry", () => {
  it("refuses a camera that refers to what is not registered, and stores nothing", async () => {
    const { registry, cameras, published } = setup();
    const refusals = [
      [body({ edgeId: "edge-9" }), /edge edge-9 is not registered/],
      [
        body({
          zones: [
            { ...square, rules: [vending] },
            { ...square, rules: [vending] },
          ],
        }),
        /zone ids must be unique/,
      ],
      [body({ zones: [{ ...square, rules: [{ ...vending, eventCode: { major: "09", minor: "09" } }] }] }), /event code 09\/09 is not an active event code/],
      [body({ shopIds: ["bakery", "florist"] }), /unknown shop/],
      [body({ zones: [{ ...square, rules: [{ ...overflow, shopId: "florist" }] }] }), /unknown shop/],
    ] as const;
    for (const [input, message] of refusals) {
      await expect(registry.put("cam-1", input)).rejects.toMatchObject({ kind: "unprocessable", message: expect.stringMatching(message) });
    }
    expect(cameras.rows.size).toBe(0);
    expect(published).toEqual([]);
  });

  it("the contract refuses a sampling the edge could not run before the registry sees it", () => {
    expect(cameraBody.safeParse({ name: "x", sampling: { mode: "fps", fps: 2 } }).success).toBe(true);
    for (const sampling of [{ mode: "fps", fps: 0 }, { mode: "fps", fps: 60 }, { mode: "every_frame" }])
      expect(cameraBody.safeParse({ name: "x", sampling }).success).toBe(false);
  });

  it("seals credentials from the URL, shows only a flag and the bare URL, and hands ffmpeg the full URL", async () => {
    const { registry, cameras } = setup();
    const view = await registry.put("cam-1", body({ streamUrl: "rtsp://admin:s3cret@10.0.0.5/stream" }));
    expect(view).toMatchObject({ hasCredentials: true, streamUrl: "rtsp://10.0.0.5/stream" });
    expect(JSON.stringify(cameras.rows.get("cam-1"))).not.toContain("s3cret");
    expect(await registry.streamUrlForSnapshot("cam-1")).toBe("rtsp://admin:s3cret@10.0.0.5/stream");
    // Absent credentials keep the stored ones; null removes them.
    expect((await registry.put("cam-1", body({}))).hasCredentials).toBe(true);
    expect((await registry.put("cam-1", body({ credentials: null }))).hasCredentials).toBe(false);
  });

  it("publishes the config of every edge a change touches and rewrites the broker policy when a camera moves", async () => {
    const { registry, edges, published, policyRewrites } = setup();
    await edges.saveEnrollment("edge-1", "one", "h1", new Date());
    await edges.saveEnrollment("edge-2", "two", "h2", new Date());
    await registry.put("cam-1", body({ edgeId: "edge-1", zones: [{ ...square, rules: [vending] }], shopIds: ["bakery"] }));
    expect([published, policyRewrites()]).toEqual([["edge-1"], 1]);
    await registry.put("cam-1", body({ edgeId: "edge-1", name: "renamed" }));
    expect([published, policyRewrites()]).toEqual([["edge-1", "edge-1"], 1]);
    published.length = 0;
    await registry.put("cam-1", body({ edgeId: "edge-2" }));
    expect([published.sort(), policyRewrites()]).toEqual([["edge-1", "edge-2"], 2]);
    published.length = 0;
    await registry.remove("cam-1");
    expect([published, policyRewrites()]).toEqual([["edge-2"], 3]);
    await expect(registry.get("cam-1")).rejects.toMatchObject({ kind: "not_found" });
  });

  it("shows the event codes its zones' rules raise", async () => {
    const { registry } = setup();
    const view = await registry.put("cam-1", body({ zones: [{ ...square, rules: [vending] }] }));
    expect(view.eventCodes).toEqual(["05/01"]);
  });
});
