// In a real browser (Debian's Chromium, driven by playwright-core): the served docs, a page that
// calls the Prism mock across origins with the package's ESM build, and a page whose progress
// bar and <video> are fed by kling-video/mock in a service worker.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import type { FakeGateway } from "../support/fake-gateway.js";
import { startStaticServer } from "../support/static-server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const IN_CI = process.env.CI === "true";
const present = existsSync(CHROMIUM);
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));

if (!present) {
  const banner = `\n${"!".repeat(78)}\n  Chromium not found at ${CHROMIUM}: the browser tests did NOT run.\n  Install it with: apt-get install -y chromium   (CI=true makes this a failure)\n${"!".repeat(78)}\n`;
  console.warn(banner);
}

describe("Chromium", () => {
  it(`is installed at ${CHROMIUM} (required under CI=true)`, () => {
    if (IN_CI) expect(present, `${CHROMIUM} is missing: .ci/run installs Debian's chromium`).toBe(true);
  });
});

describe.skipIf(!present && !IN_CI)("in Chromium", () => {
  let browser: Browser;
  const servers: FakeGateway[] = [];
  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Flags for this offline, root-run machine; a fresh profile is playwright's default.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  /** A page that refuses (and records) every request leaving the machine. */
  async function offlinePage(): Promise<{ page: Page; external: string[]; errors: string[] }> {
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

  describe("the docs served by make serve", () => {
    let serve: ChildProcess;
    let docsUrl: string;
    beforeAll(async () => {
      const [mockPort, docsPort] = [await freePort(), await freePort()];
      serve = spawn(process.execPath, ["scripts/serve.mjs"], {
        cwd: REPO,
        env: { ...process.env, MOCK_PORT: String(mockPort), DOCS_PORT: String(docsPort) },
        stdio: "ignore",
      });
      docsUrl = `http://127.0.0.1:${docsPort}/`;
      for (let tries = 0; tries < 200; tries++) {
        if (
          await fetch(docsUrl).then(
            (response) => response.ok,
            () => false,
          )
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 60_000);
    afterAll(() => void serve?.kill("SIGINT"));

    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is the point here
    const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);
    /** Clicks every tab or option named `label` and returns the text then visible. */
    async function reveal(page: Page, role: "tab" | "option", label: string): Promise<string> {
      for (const element of await page.getByRole(role, { name: label, exact: true }).all()) await element.click();
      return visibleText(page);
    }

    it("show both operations with their fields, all examples and every error, fetching nothing from the internet", async () => {
      const { page, external, errors } = await offlinePage();
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(docsUrl, { waitUntil: "load" });
      await page.getByText("How to poll").first().waitFor({ timeout: 30_000 });
      expect(await visibleText(page)).toContain("Do not retry POST after a timeout or a 5xx");

      // POST: fields with their rules, the four page examples, every error example.
      await page.locator("button", { hasText: "/v1/video/generations" }).first().click();
      await page.getByText("Create a video task").first().waitFor();
      let text = await visibleText(page);
      for (const field of [
        "model",
        "prompt",
        "image",
        "last_image",
        "aspect_ratio",
        "duration",
        "extra_body",
        "cfg_scale",
        "shot_type",
        "negative_prompt",
        "multi_prompt",
      ]) {
        expect(text).toContain(field);
      }
      expect(text).toContain("kling-v3-pro-audio");
      expect(text).toMatch(/2500/);
      expect(text).toContain("广角电影感镜头"); // the first page example, verbatim
      await page.getByText("Text to video", { exact: true }).first().click();
      text = await visibleText(page);
      for (const example of [
        "Image to video",
        "First and last frame to video",
        "Image to video with multi_prompt shots",
      ])
        expect(text).toContain(example);
      await page.keyboard.press("Escape");
      const errorExamples: Record<string, string> = {
        "400": "invalid_request_error",
        "401": "authentication_error",
        "403": "insufficient_quota",
        "429": "rate_limit_error",
        "500": "server_error",
        "502": "upstream_error",
        "503": "service_unavailable",
      };
      for (const [status, marker] of Object.entries(errorExamples))
        expect(await reveal(page, "tab", status), status).toContain(marker);
      await page.screenshot({ path: `${RESULTS}docs-create.png` });

      // GET: the poll endpoint, its 404, and the lifecycle examples.
      await page.getByText("Retrieve a video task", { exact: true }).first().click(); // in the sidebar
      await page.getByRole("tab", { name: "404", exact: true }).first().waitFor();
      expect(await reveal(page, "tab", "404")).toContain("task_not_found");
      await reveal(page, "tab", "200");
      await page.getByText("Completed", { exact: true }).first().click();
      text = await visibleText(page);
      for (const example of ["Queued", "In progress", "Failed"]) expect(text).toContain(example);
      await page.screenshot({ path: `${RESULTS}docs-poll.png` });

      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    }, 90_000);
  });

  describe("the demo pages", () => {
    let site: FakeGateway;
    beforeAll(async () => {
      const bundle = await build({
        entryPoints: [`${REPO}examples/browser/mock-demo.ts`],
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        write: false,
        absWorkingDir: REPO,
      });
      site = await startStaticServer({
        roots: ["examples/browser", "dist/src", "dist/generated", "node_modules/openapi-fetch/dist"],
        routes: {
          "/examples/browser/mock-demo.js": bundle.outputFiles[0]!.text,
          "/mockServiceWorker.js": await readFile(`${REPO}node_modules/msw/lib/mockServiceWorker.js`, "utf8"),
        },
      });
      servers.push(site);
    }, 60_000);

    it("the package's ESM build creates a task on the Prism mock across origins (CORS)", async () => {
      const { page, external, errors } = await offlinePage();
      const prism = inject("prismUrl");
      expect(new URL(prism).origin).not.toBe(new URL(site.url).origin);
      await page.goto(`${site.url}/examples/browser/index.html?api=${encodeURIComponent(prism)}`);
      await page.waitForSelector("body[data-ready=true]");
      await page.click("#create");
      // The shared Prism may be busy with the fuzz suite: allow it time, and show any error as text.
      const settled = () => !["idle", "creating"].includes(document.querySelector("#status")?.textContent ?? "");
      await page.waitForFunction(settled, undefined, { timeout: 45_000 });
      expect(`${await page.textContent("#status")}: ${await page.textContent("#result")}`).toMatch(
        /^created video_\w+ \(queued\): /,
      );
      expect(JSON.parse((await page.textContent("#result"))!)).toMatchObject({ object: "video", status: "queued" });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    }, 90_000);

    it("kling-video/mock in a service worker moves the progress bar to a playable <video>", async () => {
      const { page, external, errors } = await offlinePage();
      await page.goto(`${site.url}/examples/browser/mock.html`);
      await page.waitForFunction(() => document.querySelector("#status")?.textContent === "ready", undefined, {
        timeout: 15_000,
      });
      await page.click("#generate");
      await page.waitForFunction(() => document.querySelector("#status")?.textContent === "completed", undefined, {
        timeout: 20_000,
      });
      const seen = await page.$$eval("#log li", (items) => items.map((item) => item.textContent ?? ""));
      const progress = await page.$$eval("#log li", (items) =>
        items.map((item) => Number(item.getAttribute("data-progress"))),
      );
      expect(seen[0]).toBe("queued 0%");
      expect(seen.at(-1)).toBe("completed 100%");
      expect(seen.filter((line) => line.startsWith("in_progress")).length).toBeGreaterThanOrEqual(2);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      await page.waitForFunction(
        () => (document.querySelector("#video") as HTMLVideoElement).readyState >= 2,
        undefined,
        { timeout: 15_000 },
      );
      const state = await page.$eval("#video", (video) => {
        const element = video as HTMLVideoElement;
        return {
          readyState: element.readyState,
          width: element.videoWidth,
          duration: element.duration,
          src: element.currentSrc,
        };
      });
      expect(state.readyState).toBeGreaterThanOrEqual(2);
      expect(state.width).toBe(320);
      expect(state.duration).toBeGreaterThan(2);
      expect(state.src).toMatch(/\/__kling-video-mock\/videos\/video_mock_\d+\.mp4$/);
      await page.screenshot({ path: `${RESULTS}mock-demo.png` });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
