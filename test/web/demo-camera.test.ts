import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";
import { servicesRequired } from "../support/services.ts";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { chromiumAvailable, desktop, expectShown, launchChromium, login, personContext, screenshot } from "./browser.ts";

/**
 * `curbwatch start` with its demo camera: the camera is a registry camera like any other
 * (a file source the administrator sees and edits, its zones in the editor, snapshot and
 * live view working), and saving it publishes an edge config that still holds it.
 */
const canRun = chromiumAvailable() && fs.existsSync(vtestClip);
if (servicesRequired && !canRun) throw new Error("the demo camera browser test needs /usr/bin/chromium and the demo clip (CURBWATCH_REQUIRE_SERVICES=1)");

const ADMIN_PASSWORD = `Demo-${process.pid}-Harbor-Pa55`;

describe.runIf(canRun)("the demo camera in the admin screens", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-demo-web-"));
  let proc: Spawned;
  let base = "";
  let browser: Browser;
  let cookie = "";

  async function call(method: string, p: string, body?: unknown) {
    const r = await fetch(`${base}/api${p}`, {
      method,
      headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p} → ${r.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  beforeAll(async () => {
    const [port, mqttPort] = await Promise.all([freePort(), freePort()]);
    proc = spawnCurbwatch(["start"], {
      cwd: dir,
      env: {
        PORT: String(port),
        HOST: "127.0.0.1",
        MQTT_EMBEDDED_PORT: String(mqttPort),
        CURBWATCH_INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
        CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "true",
        DEMO_CLIP: vtestClip,
        DETECTOR_THREADS: "1",
        MODELS_DIR: path.join(repoRoot, "models"),
      },
    });
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/health`, (status) => status === 200, 120_000);
    const r = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    cookie = (r.headers.get("set-cookie") ?? "").split(";")[0];
    // The fleet view (edge states) is for staff sessions only.
    await waitForHttp(`${base}/api/health`, (status, body) => status === 200 && body.includes('"state":"online"'), 120_000, { cookie });
    browser = await launchChromium();
  }, 150_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || !browser) return;
    for (const [i, p] of browser
      .contexts()
      .flatMap((c) => c.pages())
      .entries())
      await screenshot(p, `FAILED-demo-camera-${i}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is listed with its file source and zones, edits like any camera, keeps its place in the edge config, and plays live", async () => {
    const registered = await call("GET", "/cameras/demo-plaza");
    expect(registered.streamUrl, "the demo camera has a source the registry can describe").toMatch(/^file:\/\/.*vtest\.avi$/);
    expect(registered.zones).toHaveLength(1);
    expect(registered.zones[0].rules[0]).toMatchObject({ kind: "street_vending", minGear: 1, dwellSeconds: 10 });

    const ctx = await personContext(browser, base, desktop);
    const page = await ctx.newPage();
    await login(page, "admin", ADMIN_PASSWORD);
    await page.waitForURL("**/admin/cameras");
    await page.locator('td:has-text("demo-plaza")').waitFor();
    await screenshot(page, "admin-cameras-demo");
    await page.goto("/admin/cameras/demo-plaza");
    const form = page.locator("form.camera-form");
    expect(await form.locator('input[name="streamUrl"]').inputValue()).toMatch(/^file:\/\/.*vtest\.avi$/);

    // Its zone is in the editor, with the parameters that decide (vending needs gear: minimum gear 1).
    await page.locator(".zone-tabs button", { hasText: "Plaza centre path" }).click();
    expect(await page.locator('input[name="minGear"]').inputValue()).toBe("1");
    expect(await page.locator('input[name="stationaryTolerance"]').inputValue()).toBe("0.35");
    const snapshot = page.locator(".zone-canvas img");
    await expect.poll(() => snapshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);

    // The administrator edits it like any camera: location and a rule parameter.
    await form.locator('input[name="street"]').fill("校园路");
    await form.locator('input[name="address"]').fill("校园广场中心");
    // Zone-focused detection is set per camera, with its budget.
    await form.locator("legend", { hasText: "区域聚焦检测" }).waitFor();
    await form.locator('input[name="zoneFocusMax"]').fill("3");
    await form.locator('button[type="submit"]').click();
    await form.locator(".notice.ok").waitFor();
    const revisionBefore = (await call("GET", "/edges")).find((e: { id: string }) => e.id === "edge-1")?.configRevision ?? 0;
    await page.locator('input[name="dwellSeconds"]').fill("15");
    await page.locator("text=保存区域").click();
    await expectShown(page, ".zone-editor .notice.ok");
    await screenshot(page, "admin-demo-camera-zone-editor");

    const after = await call("GET", "/cameras/demo-plaza");
    expect(after.street).toBe("校园路");
    expect(after.zoneFocus).toMatchObject({ enabled: true, maxInferencesPerSample: 3 });
    expect(after.zones[0].rules[0]).toMatchObject({ dwellSeconds: 15, minGear: 1, stationaryTolerance: 0.35, minMedianScore: 0.45 });
    // The edge applied the registry's new config and still serves the demo camera.
    await expect
      .poll(
        async () => {
          const health = await call("GET", "/health");
          const edge = health.edges.find((e: { edgeId: string }) => e.edgeId === "edge-1");
          return edge && edge.configRevision > revisionBefore
            ? edge.cameras
            : JSON.stringify({
                revisionBefore,
                edge,
                log: proc
                  .output()
                  .split("\n")
                  .filter((l) => /config/.test(l))
                  .slice(-5),
              });
        },
        { timeout: 30_000 },
      )
      .toContain("demo-plaza");

    // A clear-pavement reference of the zone from the camera's current frame: a new version, kept by the registry.
    await page.locator(".reference-capture button", { hasText: "采集空路面参考图" }).click();
    await expectShown(page, ".reference-capture .notice.ok");
    expect(await page.locator(".reference-capture .notice.ok").innerText()).toContain("第 1 版");
    const references = await call("GET", "/cameras/demo-plaza/zones/plaza-centre/reference");
    expect(references[0]).toMatchObject({ zoneId: "plaza-centre", version: 1 });

    // Live view plays the looping clip.
    await page.locator(".camera-live button[data-key='l']").click();
    await page.locator(".live-player[data-playing='yes']").waitFor({ timeout: 30_000 });
    await page.locator(".camera-live").scrollIntoViewIfNeeded();
    await screenshot(page, "admin-demo-camera-live");
    await ctx.close();
  }, 120_000);
});
