// Debian's Chromium, driven by playwright-core, for the browser suites: launched with the flags
// this offline, root-run machine needs, and pages that refuse (and record) every request that
// would leave the machine.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { describe, expect, it } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const IN_CI = process.env.CI === "true";
/** Where screenshots go. */
export const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));
/** Whether the browser suites run: Chromium is here, or CI demands it (and fails without it). */
export const browserTestsRun = existsSync(CHROMIUM) || IN_CI;

/** A test that fails under CI=true when Chromium is missing, and a loud banner when it is missing elsewhere. */
export function requireChromium(): void {
  const present = existsSync(CHROMIUM);
  if (!present) {
    const bar = "!".repeat(78);
    console.warn(
      `\n${bar}\n  Chromium not found at ${CHROMIUM}: the browser tests did NOT run.\n  Install it with: apt-get install -y chromium   (CI=true makes this a failure)\n${bar}\n`,
    );
  }
  describe("Chromium", () => {
    it(`is installed at ${CHROMIUM} (required under CI=true)`, () => {
      if (IN_CI) expect(present, `${CHROMIUM} is missing: .ci/run installs Debian's chromium`).toBe(true);
    });
  });
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(RESULTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page that refuses (and records) every request leaving the machine, and records its errors. */
export async function offlinePage(browser: Browser): Promise<{ page: Page; external: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const external: string[] = [];
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (["http:", "https:", "ws:", "wss:"].includes(url.protocol) && url.hostname !== "127.0.0.1") {
      external.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  return { page, external, errors };
}
