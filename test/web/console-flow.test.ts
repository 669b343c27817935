import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import type { Browser, Page } from "playwright-core";
import { spawnCurbwatch, freePort, waitForHttp, type Spawned } from "../support/process.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable, servicesRequired } from "../support/services.ts";
import { RtspRelayServer } from "../support/rtsp-server.ts";
import { testdata, vtestClip } from "../support/paths.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { encodeStaticCells, topics, type CameraHealth, type CandidateEvent, type Zone } from "../../src/contracts/index.ts";
import { annotateSnapshot } from "../../src/edge/evidence/annotate-snapshot.ts";
import sharp from "sharp";
import { getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { repoRoot } from "../support/paths.ts";
import { chromiumAvailable, desktop, expectShown, launchChromium, login, personContext, phone, screenshot } from "./browser.ts";

const canRun = postgresAvailable() && mosquittoAvailable() && chromiumAvailable();
if (servicesRequired && !canRun) throw new Error("the browser test needs PostgreSQL, Mosquitto and /usr/bin/chromium (CURBWATCH_REQUIRE_SERVICES=1)");

const tag = `w${process.pid}${Math.random().toString(36).slice(2, 6)}`;
const ADMIN_PASSWORD = `Admin-${tag}-Pa55`;
const people = {
  operator: { id: `op-${tag}`, name: "坐席小王", password: `Kq7-Harbor-${randomUUID().slice(0, 6)}` },
  officer: { id: `off-${tag}`, name: "队员老李", password: `Zt4-Lantern-${randomUUID().slice(0, 6)}` },
  auxiliary: { id: `aux-${tag}`, name: "协管员小赵", password: `Wm8-Orchard-${randomUUID().slice(0, 6)}` },
};
const cameraId = `cam-${tag}`;
const edgeId = `edge-${tag}`;
const street = "人民路";
const photo = testdata("streetcam", "muenster-shot0004.jpg");

let backend: Spawned;
let base = "";
let dropDb: () => Promise<void> = async () => {};
let rtsp: RtspRelayServer;
let feeder: ChildProcess | null = null;
let browser: Browser;
let adminCookie = "";
let edgeToken = "";

/** JSON call as a logged-in person (cookie from their login). */
async function call(method: string, p: string, body?: unknown, cookie = adminCookie) {
  const r = await fetch(`${base}/api${p}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p} → ${r.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function loginCookie(username: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return (r.headers.get("set-cookie") ?? "").split(";")[0];
}

/** Uploads an evidence file the way an edge worker does (its API token, sha256 in the URL). */
async function uploadEvidence(candidateId: string, kind: string, file: string, contentType: string) {
  const bytes = fs.readFileSync(file);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const r = await fetch(`${base}/api/evidence/${sha256}`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${edgeToken}`,
      "content-type": contentType,
      "x-curbwatch-candidate": candidateId,
      "x-curbwatch-camera": cameraId,
      "x-curbwatch-evidence-kind": kind,
    },
    body: bytes,
  });
  if (r.status >= 300) throw new Error(`evidence upload ${kind}: ${r.status} ${await r.text()}`);
  return { kind, sha256, bytes: bytes.length, contentType } as CandidateEvent["evidence"][number];
}

describe.runIf(canRun)("web console in a real browser", () => {
  beforeAll(async () => {
    const db = await createTestDatabase("cw_web");
    dropDb = db.drop;
    // A real RTSP camera: ffmpeg loops a real street clip into the test relay.
    rtsp = new RtspRelayServer(await freePort());
    await rtsp.start();
    feeder = spawn(
      ffmpegPath(),
      [
        "-v",
        "error",
        "-re",
        "-stream_loop",
        "-1",
        "-i",
        vtestClip,
        "-an",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-g",
        "10",
        "-pix_fmt",
        "yuv420p",
        "-f",
        "rtsp",
        "-rtsp_transport",
        "tcp",
        rtsp.url("street"),
      ],
      { stdio: "ignore" },
    );

    const port = await freePort();
    backend = spawnCurbwatch(["backend"], {
      env: {
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: db.url,
        MQTT_URL: MOSQUITTO_URL,
        MQTT_SHARED_GROUP: `web-${tag}`,
        MQTT_INGEST_CLIENT_ID: `web-${tag}`,
        CURBWATCH_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "cw-web-")),
        CURBWATCH_INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
        CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "true",
        DEMO_ENABLED: "false",
        LOG_LEVEL: "info",
      },
    });
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/health`, (s) => s === 200, 90_000);
    await waitForHttp(`${base}/`, (s, body) => s === 200 && body.includes('id="root"'), 10_000);

    adminCookie = await loginCookie("admin", ADMIN_PASSWORD);
    // People the flow needs: an operator and a certified officer responsible for the camera's street.
    await call("PUT", `/users/${people.operator.id}`, { name: people.operator.name, role: "operator", password: people.operator.password });
    await call("PUT", `/users/${people.officer.id}`, { name: people.officer.name, role: "officer", streets: [street], password: people.officer.password });
    // An auxiliary of another street: nobody suggests them for this camera, only a manual pick.
    await call("PUT", `/users/${people.auxiliary.id}`, {
      name: people.auxiliary.name,
      role: "auxiliary",
      streets: ["解放街"],
      password: people.auxiliary.password,
    });
    const year = 365 * 86_400_000;
    await call("POST", `/users/${people.officer.id}/certificates`, {
      number: `ZF-${tag}`,
      issuingAuthority: "市城市管理局",
      validFrom: new Date(Date.now() - year).toISOString(),
      expiresAt: new Date(Date.now() + year).toISOString(),
    });
    // An enrolled edge worker: the camera is assigned to it and its evidence uploads carry its token.
    const enrollment = await call("POST", "/edges", { id: edgeId, name: "东区边缘节点" });
    const enrolled = await call("POST", "/edges/enroll", { token: enrollment.enrollmentToken });
    edgeToken = enrolled.apiToken;

    await call("PUT", "/reject-reasons/not_vending", { label: "非经营行为（行人停留）", sortOrder: 1 });
    browser = await launchChromium();
  }, 180_000);

  // A failing step leaves a picture of every open page behind, named after the test.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || !browser) return;
    const pages = browser.contexts().flatMap((c) => c.pages());
    for (const [i, p] of pages.entries()) await screenshot(p, `FAILED-${ctx.task.name.slice(0, 40).replace(/\W+/g, "-")}-${i}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await releaseDetectors();
    await backend?.stop();
    feeder?.kill("SIGKILL");
    await rtsp?.stop?.();
    await dropDb();
  });

  /** People log in once with their initial password and set their own (the console forces it). */
  async function signIn(page: Page, who: { id: string; password: string }) {
    await login(page, who.id, who.password);
    if (await page.locator('input[name="newPassword"]').isVisible()) {
      await page.locator('input[name="currentPassword"]').fill(who.password);
      await page.locator('input[name="newPassword"]').fill(`${who.password}-2`);
      await page.locator('button:has-text("保存")').click();
      who.password = `${who.password}-2`;
      await page.locator(".mainnav").waitFor();
    }
  }

  let caseId = "";
  /** The access code shown once at dispatch, as printed on the party's notice. */
  let noticeCode = "";
  let falseAlarmNumber = "";
  let operatorPage: Page;

  it("an administrator registers a camera and draws a zone on its snapshot", async () => {
    const ctx = await personContext(browser, base, desktop);
    const page = await ctx.newPage();
    await login(page, "admin", ADMIN_PASSWORD);
    await page.waitForURL("**/admin/cameras");
    await page.locator("text=+ 新增摄像头").click();
    const form = page.locator("form.camera-form");
    await form.locator('input[name="id"]').fill(cameraId);
    await form.locator('input[name="name"]').fill("人民路与解放街交叉口东");
    await form.locator('input[name="streamUrl"]').fill(rtsp.url("street"));
    await form.locator('input[name="edgeId"]').fill(edgeId);
    await form.locator('input[name="district"]').fill("城东区");
    await form.locator('input[name="street"]').fill(street);
    await form.locator('input[name="grid"]').fill("G-01");
    await form.locator('input[name="address"]').fill("人民路 88 号前人行道");
    await form.locator('input[name="lat"]').fill("30.2741");
    await form.locator('input[name="lng"]').fill("120.1551");
    await form.locator('input[name="legalReviewAt"]').fill("2026-10-01");
    await form.locator('input[name="legalReviewer"]').fill("法制科 张三");
    await form.locator('input[name="locationPublishedAt"]').fill("2026-10-08");
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(`**/admin/cameras/${cameraId}`);

    // The zone editor loads a current frame of the camera.
    const snapshot = page.locator(".zone-canvas img");
    await expect.poll(() => snapshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.locator("text=绘制多边形").click();
    const canvas = page.locator('[data-testid="zone-canvas"]');
    await canvas.evaluate((el) => el.scrollIntoView({ block: "end" }));
    const box = (await canvas.boundingBox())!;
    for (const [x, y] of [
      [0.2, 0.45],
      [0.8, 0.45],
      [0.95, 0.92],
      [0.05, 0.92],
    ])
      await page.mouse.click(box.x + x * box.width, box.y + y * box.height);
    await page.keyboard.press("Enter");
    await page.locator('input[name="zoneName"]').fill("人行道禁摆区");
    await page.locator('input[name="dwellSeconds"]').fill("30");
    // Arm Monday to Friday 07:00–21:00 with one drag across the grid (a rectangle of days × hours).
    await page.locator('td[data-day="fri"][data-hour="20"]').scrollIntoViewIfNeeded();
    const from = (await page.locator('td[data-day="mon"][data-hour="7"]').boundingBox())!;
    const to = (await page.locator('td[data-day="fri"][data-hour="20"]').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
    await page.mouse.up();
    await page.locator("text=保存区域").click();
    await expectShown(page, ".zone-editor .notice.ok");
    await screenshot(page, "admin-zone-editor");

    const cam = await call("GET", `/cameras/${cameraId}`);
    expect(cam.zones, "the drawn zone is stored on the camera").toHaveLength(1);
    expect(cam.zones[0].polygon).toHaveLength(4);
    expect(cam.zones[0].rules[0]).toMatchObject({ kind: "street_vending", dwellSeconds: 30 });
    expect(cam.zones[0].rules[0].schedule).toEqual([{ days: ["mon", "tue", "wed", "thu", "fri"], from: "07:00", to: "21:00" }]);

    await showsStaticMask(page, cam.zones[0].id);
    await showsZoneActivity(page, cam.zones[0].id, cam.zones[0].rules[0].id);

    await page.locator(".mainnav >> text=摄像头").click();
    await page.locator(`td:has-text("${cameraId}")`).waitFor();
    await screenshot(page, "admin-cameras");
    await page.locator(".mainnav >> text=用户").click();
    await page.locator(`td:has-text("${people.officer.id}")`).waitFor();
    await screenshot(page, "admin-users");
    await page.locator(".mainnav >> text=边缘节点").click();
    await page.locator(`td:has-text("${edgeId}")`).waitFor();
    await screenshot(page, "admin-edges");
    await ctx.close();
  }, 90_000);

  /**
   * The zone editor tints the cells the camera's edge counts as standing still: nothing before the
   * edge reports, a plain "nothing here" for an empty mask, then translucent magenta cells over
   * the snapshot where the mask says so (checked on the screen's pixels).
   */
  async function showsStaticMask(page: Page, zoneId: string) {
    const pub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `web-health-${tag}`, clean: true });
    const region: [number, number, number, number] = [0.05, 0.45, 0.95, 0.92];
    const [gw, gh] = [160, 64];
    const block = { cols: [40, 80], rows: [20, 44] };
    const cells = Uint8Array.from({ length: gw * gh }, (_, i) => {
      const [c, r] = [i % gw, Math.floor(i / gw)];
      return c >= block.cols[0] && c < block.cols[1] && r >= block.rows[0] && r < block.rows[1] ? 1 : 0;
    });
    // What the edge publishes: retained camera health carrying the zone's mask.
    const publishMask = async (mask: Uint8Array) => {
      const at = new Date().toISOString();
      const health: CameraHealth = {
        cameraId,
        edgeId,
        state: "streaming",
        framesInPerSec: 25,
        sampledPerSec: 1,
        detectedPerSec: 1,
        droppedFrames: 0,
        lastFrameAt: at,
        restarts: 0,
        restartsLastHour: 0,
        lastError: null,
        staticMasks: { at, zones: [{ zoneId, width: gw, height: gh, region, cells: encodeStaticCells(mask) }] },
        at,
      };
      await pub.publishAsync(topics.cameraHealth(cameraId), JSON.stringify(health), { qos: 1, retain: true });
      await expect.poll(async () => (await call("GET", `/cameras/${cameraId}/static-masks`).catch(() => null))?.at, { timeout: 20_000 }).toBe(at);
    };
    const toggle = page.locator("button.static-toggle");
    const notes = page.locator(".static-masks");
    const frame = page.locator(".zone-canvas");
    try {
      await toggle.click();
      await expect.poll(() => notes.getAttribute("data-static-masks")).toBe("not_reported");
      expect(await notes.innerText()).toBe("边缘节点尚未报告该摄像头的静止物体");

      await publishMask(new Uint8Array(gw * gh));
      await toggle.click();
      await toggle.click();
      await expect.poll(() => notes.locator(`li[data-zone-id="${zoneId}"]`).innerText()).toBe("人行道禁摆区: 现在没有静止物体");
      expect(await notes.innerText()).toMatch(/静止物体掩膜更新于 \d/);
      expect(await page.locator("path.static-mask").count()).toBe(0);
      const before = await rgbOf(await frame.screenshot());

      // The editor refreshes by itself while the mask is shown.
      await publishMask(cells);
      const path = page.locator(`path.static-mask[data-zone-id="${zoneId}"]`);
      await expect.poll(() => path.getAttribute("data-static-cells"), { timeout: 15_000 }).toBe(String(40 * 24));
      expect(await notes.locator(`li[data-zone-id="${zoneId}"]`).innerText()).toBe("人行道禁摆区: 现有静止物体（已着色标出）");
      await notes.scrollIntoViewIfNeeded();
      await screenshot(page, "admin-zone-editor-static-mask");
      const after = await rgbOf(await frame.screenshot());
      expect([after.width, after.height]).toEqual([before.width, before.height]);

      // Inside the block every pixel is 60 % of what was there and 40 % #ff2d95; outside the zone's region nothing changed.
      const magenta = [0xff, 0x2d, 0x95];
      const px = (x: number, y: number) => {
        const i = (y * after.width + x) * 3;
        return { b: [...before.data.subarray(i, i + 3)], a: [...after.data.subarray(i, i + 3)] };
      };
      const toX = (c: number) => (region[0] + ((region[2] - region[0]) * c) / gw) * after.width;
      const toY = (r: number) => (region[1] + ((region[3] - region[1]) * r) / gh) * after.height;
      let inside = 0;
      let tinted = 0;
      for (let y = Math.ceil(toY(block.rows[0])) + 2; y < toY(block.rows[1]) - 2; y++)
        for (let x = Math.ceil(toX(block.cols[0])) + 2; x < toX(block.cols[1]) - 2; x++) {
          const { a, b } = px(x, y);
          inside++;
          if (a.every((v, k) => Math.abs(v - (0.6 * b[k] + 0.4 * magenta[k])) <= 8)) tinted++;
        }
      expect(inside).toBeGreaterThan(1000);
      expect(tinted / inside, "the block's pixels are tinted magenta at about 40 %").toBeGreaterThan(0.95);
      let outside = 0;
      let changed = 0;
      for (let y = 0; y < Math.floor(toY(0)) - 2; y++)
        for (let x = 0; x < after.width; x++) {
          const { a, b } = px(x, y);
          outside++;
          if (a.some((v, k) => Math.abs(v - b[k]) > 3)) changed++;
        }
      expect(changed / outside, "nothing is tinted outside the mask").toBeLessThan(0.01);
    } finally {
      // Shown masks keep asking the server; the rest of the flow does not need them, and the shared broker keeps no retained leftovers.
      if ((await toggle.getAttribute("aria-pressed")) === "true") await toggle.click();
      await pub.publishAsync(topics.cameraHealth(cameraId), "", { qos: 1, retain: true });
      await pub.endAsync();
    }
  }

  /**
   * The zone editor says why the selected zone is quiet: that nothing was reported before the edge
   * has, then each rule's standing in Chinese words, the objects detected with their names in
   * Chinese and their boxes over the snapshot, refreshed by itself while the panel is open.
   */
  async function showsZoneActivity(page: Page, zoneId: string, ruleId: string) {
    const pub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `web-activity-${tag}`, clean: true });
    type Activity = NonNullable<CameraHealth["zoneActivity"]>["zones"][number];
    const detections: Activity["detections"] = [
      { label: "person", role: "person", score: 0.83, box: [0.4, 0.5, 0.45, 0.75] },
      { label: "umbrella", role: "vending_gear", score: 0.3, box: [0.46, 0.6, 0.55, 0.75] },
      { label: "umbrella", role: "vending_gear", score: 0.28, box: [0.3, 0.62, 0.38, 0.76] },
    ];
    // What the edge publishes: retained camera health carrying the zone's activity.
    const publishActivity = async (rules: Activity["rules"]) => {
      const at = new Date().toISOString();
      const health: CameraHealth = {
        cameraId,
        edgeId,
        state: "streaming",
        framesInPerSec: 25,
        sampledPerSec: 1,
        detectedPerSec: 1,
        droppedFrames: 0,
        lastFrameAt: at,
        restarts: 0,
        restartsLastHour: 0,
        lastError: null,
        zoneActivity: { at, zones: [{ zoneId, detections, rules }] },
        at,
      };
      await pub.publishAsync(topics.cameraHealth(cameraId), JSON.stringify(health), { qos: 1, retain: true });
      await expect.poll(async () => (await call("GET", `/cameras/${cameraId}/zone-activity`).catch(() => null))?.at, { timeout: 20_000 }).toBe(at);
    };
    const panel = page.locator(".zone-activity");
    const toggle = panel.locator("button.zone-activity-toggle");
    const standing = panel.locator(`li[data-rule-id="${ruleId}"] .rule-standing`);
    try {
      expect(await toggle.innerText()).toContain("边缘节点当前看到");
      await toggle.click();
      await expect.poll(() => panel.getAttribute("data-zone-activity")).toBe("not_reported");
      expect(await panel.locator(".notice").innerText()).toBe("边缘节点尚未报告该摄像头各区域的当前情况");

      // A person stands there, but both umbrellas are below the minimum score: the panel picks it up by itself.
      await publishActivity([
        {
          ruleId,
          kind: "street_vending",
          state: "not_enough",
          detail: { persons: { seen: 1, needed: 1 }, gear: { seen: 0, needed: 1 }, gearNotNear: 0, dropped: { lowScore: 2, smallBox: 0, smallStatic: 0 } },
        },
      ]);
      await expect.poll(() => standing.innerText(), { timeout: 15_000 }).toBe("未触发：需要至少 1 件摊具，当前 0 件；2 个低于置信度阈值的物体被忽略");
      expect(await panel.getAttribute("data-zone-activity")).toBe("ready");
      expect(await panel.locator(`li[data-rule-id="${ruleId}"] .rule-kind`).innerText()).toBe("流动摊贩");
      expect(await panel.innerText()).toMatch(/边缘节点报告于 \d/);
      expect(await panel.locator(".zone-detections li").allInnerTexts()).toEqual(["人员 0.83", "雨伞 0.30", "雨伞 0.28"]);
      const boxes = page.locator(`.zone-canvas .activity-boxes[data-zone-id="${zoneId}"] rect`);
      expect(await boxes.count(), "the detections are drawn over the snapshot").toBe(3);
      expect(await boxes.first().getAttribute("class")).toBe("activity-box role-person");
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, "admin-zone-editor-zone-activity");
      expect(await panel.innerText(), "no raw state, role or label names").not.toMatch(/not_enough|street_vending|vending_gear|umbrella|person|lowScore/);

      await publishActivity([{ ruleId, kind: "street_vending", state: "counting", detail: { dwellSoFarSeconds: 12, dwellSeconds: 30 } }]);
      await expect.poll(() => standing.innerText(), { timeout: 15_000 }).toBe("计时中：已停留 12 秒 / 需 30 秒");
      await publishActivity([{ ruleId, kind: "street_vending", state: "cooldown", detail: { secondsLeft: 240 } }]);
      await expect.poll(() => standing.innerText(), { timeout: 15_000 }).toBe("冷却中：还剩 240 秒");

      // Closed, it stops drawing.
      await toggle.click();
      await expect.poll(() => boxes.count()).toBe(0);
    } finally {
      if ((await toggle.getAttribute("aria-expanded")) === "true") await toggle.click();
      await pub.publishAsync(topics.cameraHealth(cameraId), "", { qos: 1, retain: true });
      await pub.endAsync();
    }
  }

  async function rgbOf(png: Buffer) {
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }

  it("the zone editor fits a 1366×768 screen, and refuses an area with too few points or crossing edges, saying why next to the canvas", async () => {
    const ctx = await personContext(browser, base, desktop);
    const page = await ctx.newPage();
    await login(page, "admin", ADMIN_PASSWORD);
    await page.goto(`/admin/cameras/${cameraId}`);
    const snapshot = page.locator(".zone-canvas img");
    await expect.poll(() => snapshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    // Snapshot and zone list on one screen, as the page opens: nothing scrolled, nothing cut off.
    const inView = async (selector: string) => {
      const b = (await page.locator(selector).boundingBox())!;
      return { top: b.y, bottom: b.y + b.height, left: b.x, right: b.x + b.width, height: b.height };
    };
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const selector of [".zone-canvas", ".zone-tabs", ".zone-tools", ".draw-bar"]) {
      const b = await inView(selector);
      expect(b.top, `${selector} top`).toBeGreaterThanOrEqual(0);
      expect(b.bottom, `${selector} bottom`).toBeLessThanOrEqual(desktop.height);
      expect(b.right, `${selector} right`).toBeLessThanOrEqual(desktop.width);
    }
    expect((await inView(".zone-canvas")).height, "the snapshot is scaled to the height left, not shrunk to a stamp").toBeGreaterThan(300);
    await screenshot(page, "admin-zone-editor-1366x768");

    const canvas = page.locator('[data-testid="zone-canvas"]');
    const clickAt = async (x: number, y: number) => {
      const box = (await canvas.boundingBox())!;
      await page.mouse.click(box.x + x * box.width, box.y + y * box.height);
    };
    const problem = page.locator(".zone-main [data-draw-problem]");
    await page.locator("text=绘制多边形").click();
    // Two corners are no area.
    await clickAt(0.2, 0.1);
    await clickAt(0.6, 0.4);
    await page.locator("[data-finish-drawing]").click();
    expect(await problem.innerText()).toBe("区域至少需要 3 个点");
    // A bow tie: its edges cross, so it has no clear inside.
    await clickAt(0.6, 0.1);
    await clickAt(0.2, 0.4);
    await page.locator("[data-finish-drawing]").click();
    expect(await problem.innerText()).toBe("区域的边相互交叉，请重新绘制且不要交叉");
    expect(await problem.getAttribute("data-draw-problem")).toBe("polygon_self_intersects");
    // Said next to the canvas (in the drawing bar right over it), and drawing goes on.
    const p = await inView(".zone-main [data-draw-problem]");
    expect(p.bottom).toBeLessThanOrEqual((await inView(".zone-canvas")).top + 1);
    expect(await page.locator(".draw-bar.drawing").count()).toBe(1);
    await screenshot(page, "admin-zone-crossing-refused");
    // Cancelling leaves the zones as they were.
    await page.locator(".draw-bar button:has-text('取消')").click();
    expect(await page.locator(".zone-tabs li").count()).toBe(1);

    // The shop front line ends with the same visible 完成 button (no Enter-only action), and needs 2 points.
    await page.locator('select[name="ruleKind"]').selectOption("shop_overflow");
    await page.locator("text=绘制店面线").click();
    await clickAt(0.1, 0.5);
    const finish = page.locator("[data-finish-drawing]");
    const f = await inView("[data-finish-drawing]");
    expect(f.bottom).toBeLessThanOrEqual(desktop.height);
    expect(await finish.innerText()).toContain("完成");
    await finish.click();
    expect(await problem.innerText()).toBe("请绘制店面线（至少 2 个点）");
    await clickAt(0.9, 0.5);
    await finish.click();
    // A straight line has no height, so "attached" rather than "visible".
    await page.locator(".zone-canvas polyline.front-line").waitFor({ state: "attached" });
    expect(await page.locator(".draw-bar.drawing").count()).toBe(0);
    // A rule parameter out of range is named by its label in the form, never by its key.
    await page.locator('input[name="dwellSeconds"]').fill("0");
    await page.locator(".zone-editor .actions button.primary").click();
    const fieldProblem = page.locator('[data-problem="field"]');
    await fieldProblem.waitFor();
    expect(await fieldProblem.innerText()).toContain("(持续时间(秒))");
    expect(await page.locator(".zone-editor .notice.error").innerText()).not.toMatch(/dwellSeconds|[a-z][A-Z]/);
    await ctx.close();
    // Nothing was saved: the camera keeps its one street-vending zone.
    const cam = await call("GET", `/cameras/${cameraId}`);
    expect(cam.zones).toHaveLength(1);
    expect(cam.zones[0].rules[0].kind).toBe("street_vending");
  }, 60_000);

  it("a refused input is explained in Chinese next to its field, with no server text or HTTP status, and nothing half-made is kept", async () => {
    const ctx = await personContext(browser, base, desktop);
    const page = await ctx.newPage();
    await login(page, "admin", ADMIN_PASSWORD);
    await page.locator(".mainnav >> text=用户").click();
    await page.locator("text=+ 新增用户").click();
    const form = page.locator("form.user-form");
    // The password rules are shown before anything is typed.
    await expect.poll(() => form.locator("#password-rules").innerText(), { timeout: 20_000 }).toContain("至少 12 个字符");
    const newId = `weak-${tag}`;
    await form.locator('input[name="userId"]').fill(newId);
    await form.locator('input[name="name"]').fill("新协管员");
    await form.locator('input[name="password"]').fill("aaaa");
    await form.locator('button[type="submit"]').click();
    const passwordError = form.locator('.field-error[data-field="password"]');
    await passwordError.waitFor();
    expect(await passwordError.innerText()).toBe("密码不符合规则");
    // The message sits inside the password field's label, right under the input.
    expect(await passwordError.evaluate((el) => el.closest("label")?.querySelector("input")?.getAttribute("name"))).toBe("password");
    const notice = await form.locator(".notice.error").innerText();
    expect(notice).toMatch(/[\u4e00-\u9fff]/);
    expect(notice).not.toMatch(/HTTP|\b4\d\d\b|password must|expected/i);
    await screenshot(page, "admin-user-validation-error");
    const users = (await call("GET", "/users")) as { id: string }[];
    expect(
      users.map((u) => u.id),
      "a refused password creates no user",
    ).not.toContain(newId);

    // Creating a user whose ID exists is refused at the ID field instead of overwriting them.
    await form.locator('input[name="userId"]').fill(people.officer.id);
    await form.locator('input[name="password"]').fill(`Qx9-Meadow-${tag}`);
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('.field-error[data-field="id"]').innerText(), { timeout: 20_000 }).toBe("该 ID 的用户已存在，请改为编辑该用户");
    const officer = (await call("GET", "/users")).find((u: { id: string }) => u.id === people.officer.id);
    expect(officer.name, "the existing officer is untouched").toBe(people.officer.name);

    // The same error in English reads as English words, still without the server's text.
    await page.locator(".lang-switch, button:has-text('English')").first().click();
    await form.locator('button[type="submit"]').click();
    await expect
      .poll(() => form.locator('.field-error[data-field="id"]').innerText(), { timeout: 20_000 })
      .toBe("A user with this ID already exists; edit that user instead");
    await page.locator(".lang-switch, button:has-text('中文')").first().click();
    await ctx.close();
  }, 60_000);

  it("a candidate published over MQTT appears in the operator's queue without a reload; the operator confirms and dispatches", async () => {
    const ctx = await personContext(browser, base, desktop);
    operatorPage = await ctx.newPage();
    const page = operatorPage;
    await signIn(page, people.operator);
    await page.waitForURL("**/review");
    await page.locator(".feed-live").waitFor();
    // The shared test broker carries other suites' candidates too: watch this camera only.
    await page.locator('select[name="cameraId"]').selectOption(cameraId);

    const candidateId = `cand-${tag}-${randomUUID().slice(0, 8)}`;
    const evidence = [await uploadEvidence(candidateId, "snapshot_start", testdata("streetcam", "muenster-shot0005.jpg"), "image/jpeg")];
    const now = Date.now();
    const event: CandidateEvent = {
      schema: "curbwatch.candidate/v1",
      candidateId,
      seq: 0,
      phase: "start",
      edgeId,
      cameraId,
      zoneId: "zone-1",
      ruleId: "rule-1",
      rule: "street_vending",
      eventCode: { major: "05", minor: "01" },
      startedAt: new Date(now - 45_000).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      bestScore: 0.82,
      objects: [
        { trackId: 1, label: "person", role: "person", score: 0.82, box: [0.42, 0.5, 0.5, 0.86] },
        { trackId: 2, label: "umbrella", role: "vending_gear", score: 0.71, box: [0.36, 0.38, 0.58, 0.56] },
      ],
      evidence,
    };
    // A second situation on the same camera: a false alarm the operator rejects from the keyboard.
    const falseAlarm: CandidateEvent = {
      ...event,
      candidateId: `${candidateId}-b`,
      startedAt: new Date(now - 20_000).toISOString(),
      bestScore: 0.41,
      evidence: [],
      objects: [event.objects[0]],
    };
    const client = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `web-pub-${tag}`, clean: true });
    const reloads: string[] = [];
    page.on("framenavigated", (f) => f === page.mainFrame() && reloads.push(f.url()));
    await client.publishAsync(topics.cameraCandidate(cameraId), JSON.stringify(event), { qos: 1 });
    await client.publishAsync(topics.cameraCandidate(cameraId), JSON.stringify(falseAlarm), { qos: 1 });
    await client.endAsync();

    await expect.poll(() => page.locator(".queue-item").count(), { timeout: 30_000 }).toBe(2);
    expect(reloads, "the queue updated without a page load").toEqual([]);
    const item = page.locator(".queue-item").first();
    caseId = (await item.getAttribute("data-case-id"))!;
    await item.click();
    await page.locator(".snapshot img").waitFor();

    // Live view on demand: the relay starts ffmpeg for this camera and jsmpeg draws frames.
    await page.keyboard.press("l");
    await page.locator(".live-player canvas").waitFor();
    await expectShown(page, ".live-player:not(:has(.spinner))", 30_000);
    await screenshot(page, "operator-review-queue");
    await page.keyboard.press("l");

    // The false alarm: J to it, R, reason 1, Enter.
    falseAlarmNumber = (await caseOf(falseAlarm.candidateId)).number;
    await page.keyboard.press("j");
    await page.locator(`.case-header h2:has-text('${falseAlarmNumber}')`).waitFor();
    await page.keyboard.press("r");
    await page.locator(".dialog").waitFor();
    await screenshot(page, "operator-reject-dialog");
    await page.keyboard.press("1");
    await page.keyboard.press("Enter");
    // What happened to which case, and the workspace is on the next item (the real case), not blank.
    const rejectedToast = page.locator(".toast").filter({ hasText: falseAlarmNumber });
    await expect.poll(() => rejectedToast.innerText(), { timeout: 20_000 }).toContain(`案件 ${falseAlarmNumber} 已驳回`);
    await page.locator(`.case-header h2:has-text('${(await call("GET", `/cases/${caseId}`)).number}')`).waitFor();
    await expect.poll(() => page.locator(".queue-item").count(), { timeout: 20_000 }).toBe(1);
    await page.locator(`.queue-item[data-case-id="${caseId}"]`).click();
    await page.locator(`.case-header h2:has-text('${(await call("GET", `/cases/${caseId}`)).number}')`).waitFor();

    await page.keyboard.press("c");
    await page.locator(".case-header .badge.state-confirmed").waitFor();
    await page.locator(`[data-dispatch-to="${people.officer.id}"]`).waitFor();
    await screenshot(page, "operator-dispatch");
    await page.keyboard.press("1");
    // Dispatching says so by name and issued the party's access code: the toast keeps it (until closed) for the notice,
    // while the workspace moves on — here to "nothing left", as the queue is empty.
    const toast = page.locator(`.toast[data-toast-case="${caseId}"]`);
    await toast.waitFor();
    expect(await toast.innerText()).toContain(`已派遣给 ${people.officer.name}`);
    expect(await toast.locator(".toast-link").innerText()).toBe("查看案卷");
    const notice = toast.locator(".access-code-notice");
    noticeCode = (await notice.getAttribute("data-access-code"))!;
    expect(noticeCode).toMatch(/^[A-Z2-9]{10}$/);
    expect(await notice.innerText()).toContain("告知书");
    await page.locator("[data-queue-done]").waitFor();
    await screenshot(page, "operator-dispatched-access-code");
    await toast.locator("button").click();
    expect(await toast.count(), "a toast with a code stays until closed").toBe(0);
    const c = await call("GET", `/cases/${caseId}`);
    expect(c.state).toBe("dispatched");
    expect(c.dispatch.assigneeId).toBe(people.officer.id);
  }, 90_000);

  it("the officer, on a phone, accepts the task and records an outcome with a photo", async () => {
    const ctx = await personContext(browser, base, phone, true);
    await ctx.grantPermissions(["geolocation"]);
    await ctx.setGeolocation({ latitude: 30.2712, longitude: 120.1533 });
    const page = await ctx.newPage();
    await signIn(page, people.officer);
    await page.waitForURL("**/tasks");
    await page.locator(".task-card").first().waitFor();
    await expect.poll(() => page.locator(".task-card").first().innerText(), { timeout: 20_000 }).toMatch(/\d+ m|km/);
    await screenshot(page, "officer-my-tasks");

    await page.locator(".task-card").first().click();
    // The outcome form is there but does nothing until the task is accepted.
    await page.locator(".outcome-form").waitFor();
    expect(await page.locator("[data-accept-first]").innerText()).toContain("请先接收任务");
    expect(await page.locator('.outcome-form input[name="outcome"]:enabled').count(), "no outcome before accepting").toBe(0);
    expect(await page.locator('.outcome-form button[type="submit"]').isDisabled()).toBe(true);
    await screenshot(page, "officer-task-not-accepted");
    await page.locator('button:has-text("接收任务")').click();
    await page.locator("text=已接收").waitFor();
    expect(await page.locator("[data-accept-first]").count()).toBe(0);
    expect(await page.locator('a[href^="geo:"]').getAttribute("href")).toMatch(/^geo:30\.2741,120\.1551/);
    await page.locator('label.choice:has-text("教育劝导")').click();
    // Education needs a photo of the site: said before sending, and sending waits for it.
    expect(await page.locator("[data-photo-needed]").innerText()).toContain("至少一张现场照片");
    expect(await page.locator('.outcome-form button[type="submit"]').isDisabled()).toBe(true);
    await screenshot(page, "officer-photo-needed");
    await page.locator('textarea[name="note"]').fill("当事人已自行收摊，现场教育劝导");
    await page.locator('input[name="photo"]').setInputFiles(photo);
    await page.locator(".thumbs img").waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-photo-needed]").count()).toBe(0);
    await screenshot(page, "officer-record-outcome");
    await page.locator("text=完成处置").click();
    await page.locator(".notice.ok:has-text('已完成')").waitFor();
    await screenshot(page, "officer-done");
    const c = await call("GET", `/cases/${caseId}`);
    expect(c.state).toBe("handled");
    expect(c.evidence.map((e: { kind: string }) => e.kind)).toContain("officer_photo");
    await ctx.close();
  }, 90_000);

  it("the operator verifies with the officer's photo beside the evidence, closes, and the record shows everything", async () => {
    const page = operatorPage;
    // Handled cases are found in the all-cases list and open in the workspace.
    await page.locator(".mainnav >> text=案件").click();
    await page.locator('select[name="cameraId"]').selectOption(cameraId);
    await page.locator('select[name="state"]').selectOption("handled");
    await page.locator(`tr[data-case-id="${caseId}"] a.case-link`).click();
    await page.waitForURL(`**/cases/${caseId}`);
    await page.locator(".verify .side-by-side img").nth(1).waitFor();
    await screenshot(page, "operator-verify");
    await page.keyboard.press("v");
    await page.locator(".case-header .badge.state-verified").waitFor();
    await page.keyboard.press("x");
    await expect.poll(async () => (await call("GET", `/cases/${caseId}`)).state, { timeout: 20_000 }).toBe("closed");
    await page.locator(`.toast[data-toast-case="${caseId}"]:has-text('已结案')`).waitFor();

    await page.goto(`/cases/${caseId}/record`);
    await page.locator("table.audit tbody tr").first().waitFor();
    // The record reads in words, grouped by step, with its hash chain checked.
    await page.locator('[data-integrity="intact"]').waitFor();
    expect(await page.locator('tr[data-action="case.confirm"] td:nth-child(4)').innerText()).toBe("坐席确认");
    expect(await page.locator('tr[data-action="evidence.accessed"]').count(), "evidence views are filtered out by default").toBe(0);
    await screenshot(page, "operator-audit-trail");
    const actions = await page.locator("table.audit tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    const actors = await page.locator("table.audit tbody tr td:nth-child(3)").allInnerTexts();
    for (const expected of ["task.accepted", "evidence.stored"]) expect(actions, `record lacks ${expected}: ${actions.join(", ")}`).toContain(expected);
    for (const verb of ["confirm", "dispatch", "outcome", "verif", "clos"])
      expect(
        actions.some((a) => a?.includes(verb)),
        `record lacks a ${verb} entry: ${actions.join(", ")}`,
      ).toBe(true);
    // People by name (with their role), never by their login id.
    expect(actors).toContain(`${people.operator.name} · 指挥中心坐席`);
    expect(actors).toContain(`${people.officer.name} · 执法队员`);
    for (const id of [people.operator.id, people.officer.id]) expect(actors).not.toContain(id);
    expect(await page.locator('tr[data-action="case.dispatch"] td:nth-child(5)').innerText()).toContain(`派遣给 ${people.officer.name}`);

    await page.goto("/dashboard");
    await page.locator(".figure-cards").waitFor();
    await page.locator(".chart canvas").first().waitFor();
    await screenshot(page, "dashboard");
    // The CSV export speaks the console's language in its column names.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("text=导出 CSV").click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toContain("候选事件");
    expect(csv.split("\r\n")[0]).not.toContain("candidates");
    // The rejection reason's column carries its words, not its code.
    expect(csv.split("\r\n")[0]).toContain("驳回-非经营行为（行人停留）");
    expect(csv).not.toMatch(/not_vending|street vending|street_vending/);

    // The offline map places the camera by its coordinates, with a link to it.
    await page.locator(".mainnav >> text=地图").click();
    await page.locator(`[data-map-camera="${cameraId}"]`).waitFor();
    await screenshot(page, "map");

    // The same console on a phone: the review screen collapses into one column.
    await page.setViewportSize(phone);
    await page.goto(`/cases/${caseId}/record`);
    await page.locator("table.audit tbody tr").first().waitFor();
    await screenshot(page, "phone-audit-trail");
    await page.goto("/review");
    await page.locator(".review .queue-column").waitFor();
    await screenshot(page, "phone-review-queue");
  }, 90_000);

  /** A candidate on the test camera as its edge would publish it; `annotated` adds the edge's annotated copy of the snapshot. */
  async function publishCandidate(suffix: string, opts: { annotated?: boolean } = {}): Promise<string> {
    const candidateId = `cand-${tag}-${suffix}`;
    const now = Date.now();
    const plain = testdata("streetcam", "muenster-shot0005.jpg");
    const objects: CandidateEvent["objects"] = [{ trackId: 7, label: "person", role: "person", score: 0.77, box: [0.42, 0.5, 0.5, 0.86] }];
    const annotated: CandidateEvent["evidence"] = [];
    if (opts.annotated) {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cw-annotated-")), "annotated.jpg");
      const zone = {
        id: "zone-1",
        name: "",
        polygon: [
          [0.1, 0.45],
          [0.9, 0.45],
          [0.95, 0.92],
          [0.05, 0.92],
        ],
        rules: [],
      } as unknown as Zone;
      fs.writeFileSync(file, await annotateSnapshot(fs.readFileSync(plain), zone, objects));
      annotated.push(await uploadEvidence(candidateId, "snapshot_start_annotated", file, "image/jpeg"));
    }
    const event: CandidateEvent = {
      schema: "curbwatch.candidate/v1",
      candidateId,
      seq: 0,
      phase: "start",
      edgeId,
      cameraId,
      zoneId: "zone-1",
      ruleId: "rule-1",
      rule: "street_vending",
      eventCode: { major: "05", minor: "01" },
      startedAt: new Date(now - 30_000).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      bestScore: 0.77,
      objects,
      evidence: [await uploadEvidence(candidateId, "snapshot_start", plain, "image/jpeg"), ...annotated],
    };
    const client = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `web-pub-${tag}-${suffix}`, clean: true });
    await client.publishAsync(topics.cameraCandidate(cameraId), JSON.stringify(event), { qos: 1 });
    await client.endAsync();
    return candidateId;
  }

  async function caseOf(candidateId: string): Promise<{ id: string; number: string; state: string; mergedIntoId?: string | null }> {
    let found: { id: string; number: string; state: string } | undefined;
    await expect
      .poll(
        async () => {
          const page = await call("GET", "/cases?limit=200");
          found = page.items.find((c: { candidateId: string }) => c.candidateId === candidateId);
          return Boolean(found);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    return call("GET", `/cases/${found!.id}`);
  }

  it("the operator dispatches by hand to someone outside the camera's street and merges a duplicate by its case number; the auxiliary is never offered an enforcement outcome", async () => {
    const page = operatorPage;
    await page.setViewportSize(desktop);
    await page.goto("/review");
    await page.locator('select[name="cameraId"]').selectOption(cameraId);
    await page.locator(".feed-live").waitFor();
    await page.locator('select[name="sort"]').selectOption("newest");
    const main = await caseOf(await publishCandidate("main2"));
    const duplicate = await caseOf(await publishCandidate("dup"));
    // New items are announced on a badge and in the tab title, newest first.
    await expect.poll(() => page.locator("[data-new-count]").getAttribute("data-new-count"), { timeout: 20_000 }).toBe("2");
    expect(await page.title()).toMatch(/^\(2\) /);
    expect(await page.locator(".queue-item").first().getAttribute("data-case-id")).toBe(duplicate.id);
    await screenshot(page, "operator-new-items");
    await page.locator("[data-new-count]").click();
    expect(await page.locator("[data-new-count]").count()).toBe(0);
    await page.locator(`.queue-item[data-case-id="${main.id}"]`).click();
    await page.locator(`.case-header h2:has-text('${main.number}')`).waitFor();
    await page.keyboard.press("c");
    await page.locator(".case-header .badge.state-confirmed").waitFor();

    // Manual pick: the auxiliary is not of this street; an enforcement task is refused for them
    // before sending, a dissuasion task goes.
    await page.locator('select[name="manualAssignee"]').selectOption(people.auxiliary.id);
    await page.locator('select[name="manualTask"]').selectOption("enforcement");
    await page.locator(".manual-dispatch .field-error").waitFor();
    expect(await page.locator("[data-manual-dispatch]").isDisabled()).toBe(true);
    await page.locator('select[name="manualTask"]').selectOption("dissuasion");
    await screenshot(page, "operator-manual-dispatch");
    await page.locator("[data-manual-dispatch]").click();
    await page.locator(`.toast[data-toast-case="${main.id}"]:has-text('${people.auxiliary.name}')`).waitFor();
    const dispatched = await call("GET", `/cases/${main.id}`);
    expect(dispatched.dispatch).toMatchObject({ assigneeId: people.auxiliary.id, task: "dissuasion" });

    // Merge by case number: a rejected case is found but not offered, with the reason; the
    // dispatched one takes the duplicate.
    await page.locator(".mainnav >> text=审核队列").click();
    await page.locator(`.queue-item[data-case-id="${duplicate.id}"]`).click();
    await page.locator(`.case-header h2:has-text('${duplicate.number}')`).waitFor();
    await page.keyboard.press("m");
    const dialog = page.locator(".merge-dialog");
    await dialog.waitFor();
    await dialog.locator('input[name="mergeSearch"]').fill(falseAlarmNumber);
    await expect.poll(() => dialog.locator(".merge-targets .field-error").innerText(), { timeout: 20_000 }).toContain("不能作为合并目标");
    expect(await dialog.locator(`[data-merge-target="${falseAlarmNumber}"]`).isDisabled()).toBe(true);
    await dialog.locator('input[name="mergeSearch"]').fill(main.number);
    await dialog.locator(`[data-merge-target="${main.number}"]`).check();
    await screenshot(page, "operator-merge-dialog");
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(async () => (await call("GET", `/cases/${duplicate.id}`)).state, { timeout: 20_000 }).toBe("merged");

    // The auxiliary on a phone: the outcome form works after accepting, with no enforcement decision in it.
    const ctx = await personContext(browser, base, phone, true);
    const phonePage = await ctx.newPage();
    await signIn(phonePage, people.auxiliary);
    await phonePage.waitForURL("**/tasks");
    await phonePage.locator(".task-card").first().click();
    await phonePage.locator(".outcome-form").waitFor();
    expect(await phonePage.locator('.outcome-form input[name="outcome"]:enabled').count(), "no outcome before the task is accepted").toBe(0);
    await phonePage.locator('button:has-text("接收任务")').click();
    await expect.poll(() => phonePage.locator('.outcome-form input[name="outcome"]:enabled').count(), { timeout: 20_000 }).toBe(2);
    const offered = await phonePage.locator(".outcome-choices label").allInnerTexts();
    expect(offered.map((o) => o.trim())).toEqual(["教育劝导", "非转案"]);
    expect(await phonePage.locator(".outcome-choices input:checked").count(), "nothing preselected").toBe(0);
    // Education needs a photo of the site.
    await phonePage.locator('label.choice:has-text("教育劝导")').click();
    expect(await phonePage.locator("[data-photo-needed]").innerText()).toContain("至少一张现场照片");
    expect(await phonePage.locator("text=完成处置").isDisabled()).toBe(true);
    await screenshot(phonePage, "auxiliary-outcome-choices");
    await ctx.close();

    // The back end refuses an enforcement decision from an auxiliary as well, with a stable code.
    const auxCookie = await loginCookie(people.auxiliary.id, people.auxiliary.password);
    const r = await fetch(`${base}/api/cases/${main.id}/outcome`, {
      method: "POST",
      headers: { cookie: auxCookie, "content-type": "application/json" },
      body: JSON.stringify({ outcome: "file_case", reason: "多次违规" }),
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect((await r.json()).code).toMatch(/^outcome_not_allowed_for_(role|task)$/);
  }, 120_000);

  /** Mean absolute difference of neighbouring grey pixels inside a box: high for detail, near zero once blurred. */
  async function detailIn(image: Buffer, box: [number, number, number, number]): Promise<number> {
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const left = Math.max(0, Math.floor(box[0]));
    const top = Math.max(0, Math.floor(box[1]));
    const w = Math.max(2, Math.min(width - left, Math.ceil(box[2] - box[0])));
    const h = Math.max(2, Math.min(height - top, Math.ceil(box[3] - box[1])));
    const { data } = await sharp(image).extract({ left, top, width: w, height: h }).greyscale().raw().toBuffer({ resolveWithObject: true });
    let sum = 0;
    for (let y = 0; y < h; y++) for (let x = 1; x < w; x++) sum += Math.abs(data[y * w + x] - data[y * w + x - 1]);
    return sum / (h * (w - 1));
  }

  it("the party looks the case up on a phone with no login, sees the snapshot with every person blurred and sends a statement; the operator sees it and prints the case file", async () => {
    // The party has the code printed at dispatch: outcome, verification and closing kept it.
    const page = operatorPage;
    await page.setViewportSize(desktop);
    await page.goto(`/cases/${caseId}`);
    // A lost notice can be replaced; the one printed at dispatch still works meanwhile.
    await page.locator("[data-issue-access-code]:has-text('重新生成查询码')").waitFor();
    const accessCode = noticeCode;
    expect(accessCode).not.toBe("");
    const number = (await call("GET", `/cases/${caseId}`)).number as string;

    const ctx = await browser.newContext({
      baseURL: base,
      viewport: phone,
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
    });
    const phonePage = await ctx.newPage();
    await phonePage.goto("/public");
    await phonePage.locator(".public-cameras .camera-list li").first().waitFor();
    await screenshot(phonePage, "public-cameras");
    await phonePage.locator('input[name="caseNumber"]').fill(number);
    await phonePage.locator('input[name="accessCode"]').fill("wrong-code");
    await phonePage.locator("text=查询").last().click();
    await expect.poll(() => phonePage.locator(".public-lookup .notice.error").innerText(), { timeout: 20_000 }).toBe("没有与该案件编号和查询码相符的案件");
    await phonePage.locator('input[name="accessCode"]').fill(accessCode);
    await phonePage.locator('.public-lookup button[type="submit"]').click();
    const img = phonePage.locator(".public-snapshot img");
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 60_000 }).toBeGreaterThan(0);
    await img.scrollIntoViewIfNeeded();
    await screenshot(phonePage, "public-case-lookup");
    // The operator works the review queue meanwhile.
    await page.goto("/review");
    await page.locator(".feed-live").waitFor();
    const filtered = page.waitForResponse((r) => r.url().includes("/api/review-queue") && r.url().includes(cameraId));
    await page.locator('select[name="cameraId"]').selectOption(cameraId);
    await filtered;
    expect(await page.locator(`.queue-item[data-case-id="${caseId}"]`).count()).toBe(0);

    // The party's statement reaches the case.
    const statement = `摊位是临时帮亲戚看管 ${tag}`;
    const contact = "13812345678";
    await phonePage.locator('textarea[name="statement"]').fill(statement);
    await phonePage.locator('input[name="contact"]').fill(contact);
    await phonePage.locator("text=提交陈述申辩").click();
    await phonePage.locator(".statement-form .notice.ok").waitFor();
    await ctx.close();

    // Without a reload: the closed case comes into the queue flagged 新陈述, and the new-items badge counts it.
    const flagged = page.locator(`.queue-item[data-case-id="${caseId}"]`);
    await flagged.locator(".badge.new-statement").waitFor({ timeout: 20_000 });
    expect(await flagged.locator(".badge.new-statement").innerText()).toBe("新陈述");
    await expect.poll(() => page.locator("[data-new-count]").getAttribute("data-new-count"), { timeout: 20_000 }).toBe("1");
    await flagged.click();
    // Its own panel on the case: the text, when, and the contact left.
    const panel = page.locator(".party-statements");
    await expect.poll(() => panel.locator("[data-statement] .statement-text").first().innerText(), { timeout: 20_000 }).toBe(statement);
    expect(await panel.locator("[data-statement-contact]").innerText()).toContain(contact);
    expect(await panel.locator("[data-statement-at]").innerText()).toMatch(/\d{2}:\d{2}:\d{2}/);
    await screenshot(page, "operator-party-statement");
    // Read: the record keeps who read it, and the queue stops flagging the case.
    await panel.locator("[data-mark-statements-read]").click();
    await expect.poll(() => flagged.count(), { timeout: 20_000 }).toBe(0);
    await panel.locator("[data-mark-statements-read]").waitFor({ state: "detached" });
    const read = (await call("GET", `/cases/${caseId}/record`)).entries.filter((e: { action: string }) => e.action === "party.statement_read");
    expect(read.map((e: { actorId: string }) => e.actorId)).toEqual([people.operator.id]);

    // The operator prints the case file (案卷).
    const href = (await page.locator("[data-case-file]").getAttribute("href"))!;
    const pdfResponse = await page.request.get(href);
    expect(pdfResponse.status()).toBe(200);
    const pdf = await pdfResponse.body();
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const outDir = path.join(repoRoot, "test-artifacts", "case-file");
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, "case-file.pdf"), pdf);
    const text = execFileSync("pdftotext", ["-layout", path.join(outDir, "case-file.pdf"), "-"]).toString();
    for (const expected of [number, "哈希链完整", "当事人陈述申辩", statement, "教育劝导", "SHA-256", `操作人 ${people.operator.name}`, "已阅当事人陈述申辩"])
      expect(text, `the case file lacks ${expected}`).toContain(expected);
    execFileSync("pdftoppm", ["-png", "-r", "60", path.join(outDir, "case-file.pdf"), path.join(outDir, "page")]);
    expect(fs.readdirSync(outDir).filter((f) => f.startsWith("page") && f.endsWith(".png")).length).toBeGreaterThan(0);

    // The image the public is served: every person the detector finds in the original, and every
    // person it can still find in the served copy, sits in a region with its detail gone.
    const r = await fetch(`${base}/api/public/cases/snapshot`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ caseNumber: number, accessCode }),
    });
    expect(r.status).toBe(200);
    const served = Buffer.from(await r.arrayBuffer());
    const original = fs.readFileSync(testdata("streetcam", "muenster-shot0005.jpg"));
    const detector = await getDetector("nanodet", { modelsDir: path.join(repoRoot, "models"), threads: 1 });
    const persons = (await detector.detectImage(original, { threshold: 0.3 })).filter((d) => d.label === "person");
    expect(persons.length, "the original shows people (the test must be able to fail)").toBeGreaterThanOrEqual(2);
    for (const p of persons) {
      const before = await detailIn(original, p.box);
      const after = await detailIn(served, p.box);
      expect(
        after,
        `person at ${p.box.map(Math.round).join(",")} (score ${p.score.toFixed(2)}) is not blurred: detail ${after.toFixed(1)} of ${before.toFixed(1)}`,
      ).toBeLessThan(before * 0.5);
    }
    for (const p of (await detector.detectImage(served, { threshold: 0.3 })).filter((d) => d.label === "person")) {
      const before = await detailIn(original, p.box);
      expect(await detailIn(served, p.box), `a person still found in the served image at ${p.box.map(Math.round).join(",")} is sharp`).toBeLessThan(
        Math.max(2, before * 0.5),
      );
    }
  }, 120_000);

  it("an operator's shift: the snapshot full-screen, a reject that says so and moves on, several candidates rejected at once with each case's result, every label in Chinese", async () => {
    const page = operatorPage;
    await page.setViewportSize(desktop);
    await page.goto("/review");
    await page.locator(".feed-live").waitFor();
    await page.locator('select[name="sort"]').selectOption("");
    await page.locator('select[name="cameraId"]').selectOption(cameraId);
    const [first, second, third, fourth] = [
      await caseOf(await publishCandidate("shift-1", { annotated: true })),
      await caseOf(await publishCandidate("shift-2")),
      await caseOf(await publishCandidate("shift-3")),
      await caseOf(await publishCandidate("shift-4")),
    ];
    await expect.poll(() => page.locator(".queue-item").count(), { timeout: 30_000 }).toBe(4);

    // The snapshot full-screen: zoom with the buttons and the wheel, drag to move, annotated ↔ plain, Esc.
    await page.locator(`.queue-item[data-case-id="${first.id}"]`).click();
    await page.locator(`.case-header h2:has-text('${first.number}')`).waitFor();
    await page.locator(".evidence [data-open-lightbox]").click();
    const lightbox = page.locator(".lightbox");
    await lightbox.waitFor();
    const img = lightbox.locator(".lightbox-stage img");
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    const scale = async () => Number(await lightbox.getAttribute("data-scale"));
    expect(await scale()).toBe(1);
    expect(await lightbox.getAttribute("data-view")).toBe("annotated");
    const annotatedSrc = await img.getAttribute("src");
    await lightbox.locator('[data-zoom="in"]').click();
    await lightbox.locator('[data-zoom="in"]').click();
    expect(await scale()).toBeCloseTo(1.96, 2);
    const frame = (await lightbox.locator(".lightbox-frame").boundingBox())!;
    await page.mouse.move(frame.x + frame.width * 0.6, frame.y + frame.height * 0.6);
    await page.mouse.wheel(0, -400);
    await expect.poll(scale).toBeGreaterThan(2.5);
    const before = { x: Number(await lightbox.getAttribute("data-x")), y: Number(await lightbox.getAttribute("data-y")) };
    await page.mouse.down();
    await page.mouse.move(frame.x + frame.width * 0.6 - 150, frame.y + frame.height * 0.6 - 80, { steps: 8 });
    await page.mouse.up();
    expect(Number(await lightbox.getAttribute("data-x"))).toBeCloseTo(before.x - 150, -1);
    expect(Number(await lightbox.getAttribute("data-y"))).toBeCloseTo(before.y - 80, -1);
    // The stage really is scaled on screen: the picture is now larger than the frame.
    expect((await img.boundingBox())!.width).toBeGreaterThan(frame.width);
    await screenshot(page, "operator-lightbox-zoomed");
    await lightbox.locator('[data-lightbox-view="plain"]').click();
    expect(await lightbox.getAttribute("data-view")).toBe("plain");
    expect(await img.getAttribute("src")).not.toBe(annotatedSrc);
    expect(await scale(), "switching keeps the zoom").toBeGreaterThan(2.5);
    await page.keyboard.press("Escape");
    await lightbox.waitFor({ state: "detached" });
    // Keys went to the lightbox while it was open: the case is still a candidate, on screen.
    expect((await call("GET", `/cases/${first.id}`)).state).toBe("candidate");

    // Every label the operator reads is Chinese: the rule and event code, the filter's event codes, the reasons.
    expect(await page.locator(".facts [data-rule]").innerText()).toBe("流动摊贩 · 05/01 无照经营游商");
    const codes = await page.locator('select[name="code"] option').allInnerTexts();
    expect(codes).toContain("05/01 无照经营游商");
    const onScreen = await page.locator(".review").innerText();
    for (const text of [onScreen, codes.join(" ")]) {
      expect(text).not.toMatch(/\((street vending|shop overflow)\)|street vending|shop overflow/i);
      expect(text, "no raw enum value").not.toMatch(/\b[a-z]+(_[a-z]+)+\b/);
    }

    // Reject from the keyboard: a toast names the case, links its record, and the next item is on screen.
    await page.keyboard.press("r");
    const reasons = await page.locator(".dialog .reason").allInnerTexts();
    expect(reasons.join(" ")).toContain("误识别");
    expect(reasons.join(" ")).not.toMatch(/wrong object|\(/);
    await page.keyboard.press("1");
    await page.keyboard.press("Enter");
    const toast = page.locator(`.toast[data-toast-case="${first.id}"]`);
    await toast.waitFor();
    expect(await toast.innerText()).toContain(`案件 ${first.number} 已驳回`);
    expect(await toast.locator(".toast-link").getAttribute("href")).toBe(`/cases/${first.id}/record`);
    await page.locator(`.case-header h2:has-text('${second.number}')`).waitFor();
    await screenshot(page, "operator-reject-toast-next");

    // Three candidates at once: tick the second, shift-tick the fourth.
    await page.locator(`[data-pick="${second.id}"]`).click();
    await page.locator(`[data-pick="${fourth.id}"]`).click({ modifiers: ["Shift"] });
    await expect.poll(() => page.locator(".bulk-bar").getAttribute("data-picked")).toBe("3");
    expect(await page.locator(".bulk-bar .bulk-count").innerText()).toBe("已选 3 条");
    await page.locator('[data-bulk="reject"]').click();
    const dialog = page.locator(".dialog");
    await dialog.waitFor();
    expect(await dialog.locator("h2").innerText()).toBe("驳回 3 条候选事件");
    // Meanwhile another operator handles one of them: the back end refuses that one alone.
    await call("POST", `/cases/${third.id}/reject`, { reason: "duplicate" });
    await dialog.locator(".reason", { hasText: "非经营行为" }).click();
    await dialog.locator('button[type="submit"]').click();
    const results = page.locator(".bulk-results");
    await results.waitFor();
    expect(await results.getAttribute("data-done")).toBe("2");
    expect(await results.getAttribute("data-failed")).toBe("1");
    expect(await results.locator("h3").innerText()).toContain("3 条中 2 条已驳回");
    for (const c of [second, fourth]) expect(await results.locator(`[data-bulk-result="${c.id}"]`).innerText()).toContain(`${c.number} ✓ 已驳回`);
    const refused = await results.locator(`[data-bulk-result="${third.id}"]`).innerText();
    // It changed since it was ticked: said in words, with the state it is in now.
    expect(refused).toContain(`${third.number} ✕ 案件已被他人更新`);
    expect(refused).toContain("（已驳回）");
    expect(refused, "in words, without the server's text or a status").not.toMatch(/stale|version|409/);
    await screenshot(page, "operator-bulk-reject-results");
    for (const c of [second, fourth]) expect((await call("GET", `/cases/${c.id}`)).rejection.reason).toBe("not_vending");
    await expect.poll(() => page.locator(".queue-item").count(), { timeout: 20_000 }).toBe(0);
    await page.locator("[data-queue-done]").waitFor();

    // Two more go to one officer at once: confirmed and dispatched in one step, each with the party's access code.
    const [fifth, sixth] = [await caseOf(await publishCandidate("shift-5")), await caseOf(await publishCandidate("shift-6"))];
    await expect.poll(() => page.locator(".queue-item").count(), { timeout: 30_000 }).toBe(2);
    await page.locator(`[data-pick="${fifth.id}"]`).click();
    await page.locator(`[data-pick="${sixth.id}"]`).click();
    await page.locator('[data-bulk="dispatch"]').click();
    const dispatchDialog = page.locator(".dialog");
    await dispatchDialog.locator(`select[name="bulkAssignee"] option[value="${people.officer.id}"]`).waitFor({ state: "attached" });
    await dispatchDialog.locator('select[name="bulkAssignee"]').selectOption(people.officer.id);
    await dispatchDialog.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator(".bulk-results h3").innerText(), { timeout: 20_000 }).toContain("2 条中 2 条已派遣");
    for (const c of [fifth, sixth]) {
      const line = page.locator(`[data-bulk-result="${c.id}"]`);
      expect(await line.innerText()).toContain(`${c.number} ✓ 已派遣`);
      expect(await line.locator(".access-code-notice").getAttribute("data-access-code")).toMatch(/^[A-Z2-9]{10}$/);
      expect((await call("GET", `/cases/${c.id}`)).dispatch).toMatchObject({ assigneeId: people.officer.id, assigneeName: people.officer.name });
    }
    await screenshot(page, "operator-bulk-dispatch-results");

    // The record of a rejected case reads in Chinese too: the reason by its words, the operator by name.
    await page.goto(`/cases/${second.id}/record`);
    await page.locator('tr[data-action="case.reject"]').waitFor();
    const row = await page.locator('tr[data-action="case.reject"]').innerText();
    expect(row).toContain("非经营行为（行人停留）");
    expect(row).toContain(people.operator.name);
    const record = await page.locator("section.record").innerText();
    expect(record).not.toMatch(/not_vending|street_vending|\(street vending\)/);
    expect(record, "no raw enum value or login id").not.toMatch(/\b[a-z]+(_[a-z]+)+\b|op-w/);

    // A dispatched case names its assignee on the case screen.
    await page.goto("/cases");
    await page.locator('select[name="cameraId"]').selectOption(cameraId);
    await page.locator('select[name="state"]').selectOption("dispatched");
    await page.locator(`tr[data-case-id="${fifth.id}"] a.case-link`).click();
    await expect.poll(() => page.locator(".facts [data-assignee]").innerText(), { timeout: 20_000 }).toBe(`${people.officer.name} · 执法`);
  }, 120_000);
});
