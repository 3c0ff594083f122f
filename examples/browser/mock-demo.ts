// A UI built against kling-video/mock: MSW's service worker answers the SDK's requests with a
// task that moves, so the progress bar and the final <video> can be developed offline.

import { createVideoClient, taskProgress } from "kling-video";
import { videoMockHandlers } from "kling-video/mock";
import { setupWorker } from "msw/browser";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const status = $<HTMLElement>("#status");
const progress = $<HTMLProgressElement>("#progress");
const log = $<HTMLOListElement>("#log");
const video = $<HTMLVideoElement>("#video");
const button = $<HTMLButtonElement>("#generate");

const worker = setupWorker(...videoMockHandlers({ baseUrl: location.origin, durationMs: 3_000, queueMs: 500 }));
await worker.start({ serviceWorker: { url: "/mockServiceWorker.js" }, onUnhandledRequest: "bypass", quiet: true });

const client = createVideoClient({ baseUrl: location.origin, apiKey: "sk-mock" });
status.textContent = "ready";
button.disabled = false;

button.addEventListener("click", async () => {
  button.disabled = true;
  try {
    const task = await client.generate(
      { model: "kling-v3-std-silent", prompt: "A paper boat on a pond" },
      {
        pollIntervalMs: 200,
        onCreated: (created) => {
          status.textContent = `created ${created.id}`;
        },
        onProgress: (seen) => {
          status.textContent = seen.status;
          progress.value = taskProgress(seen) ?? 0;
          log.insertAdjacentHTML(
            "beforeend",
            `<li data-progress="${taskProgress(seen) ?? 0}">${seen.status} ${taskProgress(seen) ?? 0}%</li>`,
          );
        },
      },
    );
    status.textContent = "completed";
    video.hidden = false;
    video.src = task.video_url ?? "";
  } catch (error) {
    status.textContent = `error: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
});
