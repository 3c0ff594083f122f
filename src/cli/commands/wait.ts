// `kling-video wait <task-id>`: follow a task (created here or elsewhere) to its end.
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { follow, outFile, WAIT_OPTIONS, waitSettings } from "../follow.js";
import { connect } from "../gateway.js";
import { GATEWAY_OPTIONS, OUT_OPTIONS } from "../shared-options.js";

export const wait: Command = {
  usage: "wait <task-id> [options]",
  description:
    "Wait for a task to finish, showing its progress; with --out, then save the video. Stopping (Ctrl-C,\n" +
    "--timeout) leaves the task running: run the same command again to carry on.",
  options: { ...OUT_OPTIONS, ...WAIT_OPTIONS, ...GATEWAY_OPTIONS },
  positionals: ["task-id"],
  examples: ["kling-video wait task_01JH8Y3Z6Q4W9XK2M5N7P8R0ST --out video.mp4 --timeout 30m"],
  async run(input) {
    const { positionals, values, ctx, session } = input;
    const [taskId] = positionals as [string];
    const settings = waitSettings(values);
    const out = await outFile(values);
    const gateway = connect(values, ctx);
    const { baseUrl } = gateway;
    session.baseUrl = baseUrl;
    await follow(input, gateway, taskId, settings, out);
    return EXIT.ok;
  },
};
