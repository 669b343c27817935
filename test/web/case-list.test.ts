import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, postgresAvailable, servicesRequired } from "../support/services.ts";
import { loginAs, settledPassword, testPassword } from "../support/login.ts";
import { api, runTag, startTestBackend, testConfig } from "../backend/backend-harness.ts";
import { reportCandidate } from "../backend/case-fixtures.ts";
import { webConsoleDir } from "../../src/backend/web-console.ts";
import { chromiumAvailable, desktop, expectShown, launchChromium, login, personContext, screenshot } from "./browser.ts";

/**
 * The all-cases table in a real browser: filter, page, search a case number from the top bar
 * and land on the case. Cases come through the real ingest write path straight into
 * PostgreSQL, so no camera or broker is needed and the test stays quick.
 */
const canRun = postgresAvailable() && chromiumAvailable();
if (servicesRequired && !canRun) throw new Error("the case-list browser test needs PostgreSQL and /usr/bin/chromium (CURBWATCH_REQUIRE_SERVICES=1)");

describe.runIf(canRun)("all cases in the console (real browser)", () => {
  const tag = runTag();
  const camA = `cam-a-${tag}`;
  const camB = `cam-b-${tag}`;
  let drop: () => Promise<void>;
  let be: RunningBackend;
  let db: Database;
  let browser: Browser;
  /** Case ids by camera, and every case's number. */
  const onA: string[] = [];
  const onB: string[] = [];
  const numberOf = new Map<string, string>();

  beforeAll(async () => {
    expect(fs.existsSync(`${webConsoleDir}/index.html`), "build the console first: npm run build:web").toBe(true);
    const t = await createTestDatabase("cw_web_list");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, group: tag }));
    db = await openDatabase({ url: t.url, pgliteDir: "memory://", poolSize: 4 });
    await api(be.url, "PUT", "/users/op1", { as: "admin", body: { name: "坐席小王", role: "operator", password: testPassword("op1") } });
    await api(be.url, "PUT", "/users/aux1", { as: "admin", body: { name: "协管员小赵", role: "auxiliary", password: testPassword("aux1") } });
    await loginAs(be.url, "op1"); // sets the operator's own password, as the console would make them
    await api(be.url, "PUT", `/cameras/${camA}`, { as: "admin", body: { name: "人民路与解放街交叉口东", street: "人民路" } });
    await api(be.url, "PUT", `/cameras/${camB}`, { as: "admin", body: { name: "中山路步行街北口", street: "中山路" } });
    // 15 cases on camera A, 8 on B, one a minute apart over the last half hour.
    const now = Date.now();
    for (let i = 0; i < 23; i++) {
      const onCamA = i % 5 < 3;
      const startedAt = new Date(now - (30 - i) * 60_000).toISOString();
      const id = await reportCandidate(db, {
        cameraId: onCamA ? camA : camB,
        startedAt,
        lastSeenAt: startedAt,
        ...(i % 4 === 0 ? { rule: "shop_overflow", eventCode: { major: "05", minor: "04" }, ruleId: "overflow" } : {}),
      });
      (onCamA ? onA : onB).push(id);
    }
    for (const id of [...onA, ...onB]) numberOf.set(id, (await api(be.url, "GET", `/cases/${id}`, { as: "op1" })).body.number);
    // A few further along the workflow, so the table shows states and an assignee.
    for (const id of onA.slice(-5)) expect((await api(be.url, "POST", `/cases/${id}/confirm`, { as: "op1", body: {} })).status).toBe(200);
    for (const id of onA.slice(-2))
      expect((await api(be.url, "POST", `/cases/${id}/dispatch`, { as: "op1", body: { assigneeId: "aux1", task: "dissuasion" } })).status).toBe(200);
    expect((await api(be.url, "POST", `/cases/${onA[6]}/reject`, { as: "op1", body: { reason: "wrong_object" } })).status).toBe(200);
    browser = await launchChromium();
  }, 120_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || !browser) return;
    for (const [i, p] of browser
      .contexts()
      .flatMap((c) => c.pages())
      .entries())
      await screenshot(p, `FAILED-case-list-${i}`).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await db?.close();
    await be?.close();
    await drop?.();
  });

  const rowIds = (page: Page) => page.locator("table.case-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case-id")!));

  it("an operator filters and pages the list, searches a case number in the top bar and lands on the case", async () => {
    const ctx = await personContext(browser, be.url, desktop);
    const page = await ctx.newPage();
    await login(page, "op1", settledPassword("op1"));
    await page.locator(".mainnav >> text=案件").click();
    await page.waitForURL("**/cases");
    await expectShown(page, "table.case-table");
    expect(await page.locator(".list-summary").getAttribute("data-total")).toBe("23");

    // Camera A, ten a page: two pages, newest first, every case once.
    await page.locator('select[name="cameraId"]').selectOption(camA);
    await page.locator('select[name="limit"]').selectOption("10");
    await expect.poll(() => page.locator(".list-summary").getAttribute("data-total")).toBe(String(onA.length));
    await expect.poll(() => rowIds(page)).toEqual([...onA].reverse().slice(0, 10));
    expect(await page.locator(".list-summary").innerText()).toContain("第 1 页");
    await page.locator("tr[data-case-id] >> text=已派遣").first().waitFor();
    await screenshot(page, "operator-all-cases");
    const first = await rowIds(page);
    await page.locator('button[name="nextPage"]').click();
    await expect.poll(() => page.locator(".list-summary").innerText()).toContain("第 2 页");
    const second = await rowIds(page);
    expect([...first, ...second]).toEqual([...onA].reverse());
    expect(await page.locator('button[name="nextPage"]').isDisabled()).toBe(true);
    await page.locator('button[name="previousPage"]').click();
    await expect.poll(() => rowIds(page)).toEqual(first);
    expect(await page.locator('button[name="previousPage"]').isDisabled()).toBe(true);

    // Violation kind narrows further; the state filter finds the rejected one.
    await page.locator('select[name="rule"]').selectOption("shop_overflow");
    await expect
      .poll(async () => {
        const kinds = await page.locator("table.case-table tbody tr td:nth-child(3)").allInnerTexts();
        return kinds.length > 0 && kinds.every((k) => k.startsWith("店外经营"));
      })
      .toBe(true);
    await page.locator('select[name="rule"]').selectOption("");
    await page.locator('select[name="state"]').selectOption("rejected");
    await expect.poll(() => rowIds(page)).toEqual([onA[6]]);

    // The CSV of the filtered list opens in Excel: BOM, Chinese headers, the one rejected case.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('button[name="exportCsv"]').click()]);
    const csv = fs.readFileSync((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString("utf8").slice(1).trim().split("\r\n");
    expect(lines[0]).toMatch(/^案件编号,状态,违法行为,/);
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([`${numberOf.get(onA[6])},已驳回`]);

    // A row opens the case in the workspace; back returns to the same filtered list.
    await page.locator(`tr[data-case-id="${onA[6]}"] a.case-link`).click();
    await page.waitForURL(`**/cases/${onA[6]}`);
    await page.locator(`.case-header h2:has-text('${numberOf.get(onA[6])}')`).waitFor();
    await page.locator(".back-to-list").click();
    await expect.poll(() => rowIds(page)).toEqual([onA[6]]);

    // The top bar's search: a number that does not exist is said so; a real one (of camera B,
    // not in the filtered list) is opened straight away, typed the short way.
    const search = page.locator('.case-search input[name="caseSearch"]');
    await search.fill("CW-999999");
    await search.press("Enter");
    await expect.poll(() => page.locator(".case-search-message").innerText()).toBe("没有编号为 CW-999999 的案件");
    await search.fill("abc");
    await search.press("Enter");
    await expect.poll(() => page.locator(".case-search-message").innerText()).toBe("案件编号格式如 CW-000123");
    const wanted = onB[3];
    await search.fill(String(Number(numberOf.get(wanted)!.slice(3))));
    await search.press("Enter");
    await page.waitForURL(`**/cases/${wanted}`);
    await page.locator(`.case-header h2:has-text('${numberOf.get(wanted)}')`).waitFor();
    await page.locator(".case-header .badge.state-candidate").waitFor();
    expect(await page.locator(".case-search-message").count()).toBe(0);
    await screenshot(page, "operator-case-from-search");

    // On a phone the top bar keeps the search box and the table scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator(".back-to-list").click();
    await expectShown(page, "table.case-table");
    expect(await page.locator(".case-search input").isVisible()).toBe(true);
    await screenshot(page, "phone-all-cases");

    // In English every label, value and message reads as English.
    await page.locator(".topbar button:has-text('English')").click();
    expect(await page.locator("table.case-table thead th").allInnerTexts()).toEqual([
      "Case number",
      "State",
      "Violation",
      "Camera",
      "Street",
      "Observed",
      "Priority",
      "Assignee",
      "",
    ]);
    expect(await page.locator(".list-summary").innerText()).toBe("1 case · Page 1");
    expect(await page.locator(`tr[data-case-id="${onA[6]}"] td:nth-child(2)`).innerText()).toBe("Rejected");
    await search.fill("CW-999999");
    await search.press("Enter");
    await expect.poll(() => page.locator(".case-search-message").innerText()).toBe("No case with the number CW-999999");
    await page.locator(".topbar button:has-text('中文')").click();
    await ctx.close();
  }, 90_000);
});
