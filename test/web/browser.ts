import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { repoRoot } from "../support/paths.ts";

/** Debian's Chromium (CI installs it); Playwright never downloads a browser here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumAvailable = () => fs.existsSync(chromiumPath);

export const screensDir = path.join(repoRoot, "test-artifacts", "screens");

export const desktop = { width: 1366, height: 768 };
export const phone = { width: 390, height: 844 };

/** Each launch runs on a fresh temporary profile (Playwright's own user-data-dir), so no state leaks between runs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A browser context per person: separate cookies, so three roles can work side by side. */
export async function personContext(browser: Browser, baseURL: string, viewport: { width: number; height: number }, mobile = false): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL,
    viewport,
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  ctx.setDefaultTimeout(20_000);
  return ctx;
}

/** Saves a screenshot to test-artifacts/screens and records console errors for the failure message. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screensDir, { recursive: true });
  const file = path.join(screensDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/");
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('.topbar, input[name="newPassword"]').first().waitFor();
}

/** Waits for `selector`; if the console shows an error instead, fails with the words it shows. */
export async function expectShown(page: Page, selector: string, timeout = 20_000): Promise<void> {
  const ok = page.locator(selector).first();
  const error = page.locator(".notice.error").first();
  await ok.or(error).waitFor({ timeout });
  if (!(await ok.isVisible())) {
    await screenshot(page, `FAILED-${Date.now()}`);
    throw new Error(`expected ${selector}, the console shows an error: ${await error.innerText()}`);
  }
}
