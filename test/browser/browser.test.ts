// In a real browser (Debian's Chromium, driven by playwright-core): the docs that `make serve`
// serves; a page built with the package's ESM build (dist/index.js, no MSW) that generates a
// video against the stateful mock, whether behind Prism (`make serve`), from startMockServer or
// from `kling-video mock`; and the MSW demo, whose mock runs in a service worker.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import { type MockServer, startMockServer } from "../../src/node.js";
import { browserTestsRun, launchChromium, offlinePage, RESULTS, requireChromium } from "../support/browser.js";
import type { LoopbackGateway } from "../support/loopback-gateway.js";
import { type Serve, startServe } from "../support/serve.js";
import { startStaticServer } from "../support/static-server.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const CLI = `${REPO}dist/cli.js`;
/** Fast enough for a test, slow enough that progress is seen rising. */
const SPEED = "6";

requireChromium();

describe.skipIf(!browserTestsRun)("in Chromium", () => {
  let browser: Browser;
  let serve: Serve;
  let site: LoopbackGateway;
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
    [browser, serve, site] = await Promise.all([
      launchChromium(),
      startServe({ env: { MOCK_SPEED: SPEED } }),
      startStaticServer({
        roots: ["examples/browser", "dist", "node_modules/openapi-fetch/dist"],
        routes: {
          "/examples/browser/mock-demo.js": bundle.outputFiles[0]!.text,
          "/mockServiceWorker.js": await readFile(`${REPO}node_modules/msw/lib/mockServiceWorker.js`, "utf8"),
        },
      }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([browser?.close(), serve?.stop(), site?.close()]);
  });

  describe("the docs served by make serve", () => {
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is the point here
    const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

    it("list every operation open, with code samples for curl, the SDK and the CLI, and English examples beside the page's", async ({
      expect,
    }) => {
      const { page, external, errors } = await offlinePage(browser);
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(serve.docsUrl, { waitUntil: "load" });
      await page.getByText("Getting started").first().waitFor({ timeout: 30_000 });
      const opening = await visibleText(page);
      for (const operation of [
        "Create a video task",
        "Retrieve a video task",
        "Download a finished video",
        "Retrieve a video task (older route)",
      ])
        expect(opening, "listed in the sidebar without a click").toContain(operation);
      expect(opening).toContain("npx kling-video mock");
      for (const taught of ["X-Mock-Scenario", "failed-midway", "X-Mock-Flavor", "new-api-legacy"])
        expect(opening).toContain(taught);

      await page.getByText("Create a video task", { exact: true }).first().click();
      const samples: Record<string, string> = {
        curl: "curl -sS",
        SDK: 'import { createVideoClient } from "kling-video";',
        CLI: "npx kling-video create --model kling-v3-std-silent",
      };
      for (const [tab, marker] of Object.entries(samples)) {
        await page
          .getByRole("button", { name: /^(curl|SDK|CLI|Payload)$/ })
          .first()
          .click();
        await page.getByRole("menuitem", { name: tab, exact: true }).click();
        await expect.poll(() => visibleText(page), { message: tab }).toContain(marker);
      }
      await page.getByRole("button", { name: "CLI", exact: true }).first().click();
      await page.getByRole("menuitem", { name: "Payload", exact: true }).click();
      await expect.poll(() => visibleText(page)).toContain("广角电影感镜头"); // the page's first example, verbatim
      await page.screenshot({ path: `${RESULTS}docs-create-chinese.png` });
      const examples = [
        "Text to video",
        "Image to video",
        "First and last frame to video",
        "Image to video with multi_prompt shots",
      ];
      await page.getByRole("button", { name: "Example" }).first().click();
      const offered = await page.getByRole("menuitem").allInnerTexts();
      expect(offered).toEqual(examples.flatMap((name) => [name, `${name} (English)`]));
      await page.getByRole("menuitem", { name: "Text to video (English)" }).click();
      await expect.poll(() => visibleText(page)).toContain("Wide cinematic shot of a lone traveller");
      await page.screenshot({ path: `${RESULTS}docs-create-english.png` });

      await page.getByText("Download a finished video", { exact: true }).first().click();
      await page.getByText("Streams the finished video through the gateway").first().waitFor();
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    }, 90_000);
  });

  describe("a page built with the package's ESM build (dist/index.js), no MSW", () => {
    /** Opens examples/browser/index.html against `api`, generates a video, and checks what the page showed. */
    async function generatesAndPlays(api: string, videoOrigin: string, screenshot: string): Promise<void> {
      const { page, external, errors } = await offlinePage(browser);
      expect(new URL(api).origin).not.toBe(new URL(site.url).origin); // across origins: CORS
      await page.goto(`${site.url}/examples/browser/index.html?api=${encodeURIComponent(api)}`);
      await page.waitForSelector("body[data-ready=true]");
      await page.click("#generate");
      const settled = () => /^(completed|error)/.test(document.querySelector("#status")?.textContent ?? "");
      await page.waitForFunction(settled, undefined, { timeout: 45_000 });
      expect(await page.textContent("#status")).toBe("completed");
      const log = await page.$$eval("#log li", (items) => items.map((item) => item.textContent ?? ""));
      const progress = await page.$$eval("#log li", (items) => items.map((item) => Number(item.dataset.progress)));
      // How many states a poll sees depends on the machine's load; the order and the end do not.
      expect(log[0]).toMatch(/^(unknown|queued|in_progress) \d+%$/);
      expect(log.at(-1)).toBe("completed 100%");
      expect(log.some((line) => /^in_progress ([1-9]|[1-9]\d)%$/.test(line))).toBe(true);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      await page.waitForFunction(
        () => (document.querySelector("#video") as HTMLVideoElement).readyState >= 2,
        undefined,
        {
          timeout: 15_000,
        },
      );
      // Seeking asks the mock for a byte range.
      const state = await page.$eval("#video", async (element) => {
        const video = element as HTMLVideoElement;
        const seeked = new Promise((resolve) => video.addEventListener("seeked", resolve, { once: true }));
        video.currentTime = 2;
        await seeked;
        return { width: video.videoWidth, duration: video.duration, at: video.currentTime, src: video.currentSrc };
      });
      expect(state).toMatchObject({ width: 320, at: 2 });
      expect(state.duration).toBeGreaterThan(2);
      expect(state.src).toMatch(new RegExp(`^${videoOrigin}/__kling-video-mock/videos/task_\\w{32}\\.mp4$`));
      await page.screenshot({ path: `${RESULTS}${screenshot}` });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    }

    it("against make serve (the mock behind Prism): progress rises on a real task, then the video plays", async ({
      expect,
    }) => {
      const logFrom = serve.output().length;
      await generatesAndPlays(serve.apiUrl, serve.mockUrl, "page-make-serve.png");
      expect(serve.output().slice(logFrom)).not.toMatch(/SPEC VIOLATION|Request terminated with error/);
    }, 90_000);

    it("against startMockServer: the same", async () => {
      const mock: MockServer = await startMockServer({ port: 0, speed: Number(SPEED) });
      try {
        await generatesAndPlays(mock.url, mock.url, "page-start-mock-server.png");
      } finally {
        await mock.close();
      }
    }, 90_000);

    it("against `kling-video mock` (the CLI, built from branch cli): the same", async () => {
      expect(existsSync(CLI), "dist/cli.js is missing: `kling-video mock` comes with the CLI (branch cli)").toBe(true);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child: ChildProcess = spawn(process.execPath, [CLI, "mock", "--port", String(port), "--speed", SPEED], {
        stdio: "ignore",
      });
      try {
        const answers = () =>
          fetch(`${url}/`).then(
            (answer) => answer.ok,
            () => child.exitCode !== null && "exited",
          );
        await expect.poll(answers, { timeout: 20_000, message: "kling-video mock answers" }).toBe(true);
        await generatesAndPlays(url, url, "page-kling-video-mock.png");
      } finally {
        child.kill("SIGINT");
        if (child.exitCode === null) await once(child, "exit");
      }
    }, 90_000);
  });

  describe("the MSW demo", () => {
    it("kling-video/mock in a service worker moves the progress bar to a playable <video>", async () => {
      const { page, external, errors } = await offlinePage(browser);
      await page.goto(`${site.url}/examples/browser/mock.html`);
      await page.waitForFunction(() => document.querySelector("#status")?.textContent === "ready", undefined, {
        timeout: 15_000,
      });
      await page.click("#generate");
      await page.waitForFunction(() => document.querySelector("#status")?.textContent === "completed", undefined, {
        timeout: 20_000,
      });
      const seen = await page.$$eval("#log li", (items) => items.map((item) => item.textContent ?? ""));
      const progress = await page.$$eval("#log li", (items) => items.map((item) => Number(item.dataset.progress)));
      expect(seen[0]).toMatch(/^(queued|in_progress) \d+%$/);
      expect(seen.at(-1)).toBe("completed 100%");
      expect(seen.some((line) => /^in_progress ([1-9]|[1-9]\d)%$/.test(line))).toBe(true);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      await page.waitForFunction(
        () => (document.querySelector("#video") as HTMLVideoElement).readyState >= 2,
        undefined,
        {
          timeout: 15_000,
        },
      );
      const state = await page.$eval("#video", (element) => {
        const video = element as HTMLVideoElement;
        return { width: video.videoWidth, duration: video.duration, src: video.currentSrc };
      });
      expect(state.width).toBe(320);
      expect(state.duration).toBeGreaterThan(2);
      expect(state.src).toMatch(/\/__kling-video-mock\/videos\/task_\w{32}\.mp4$/);
      await page.screenshot({ path: `${RESULTS}mock-demo.png` });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
