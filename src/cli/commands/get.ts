// `kling-video get <task-id>`: the task as the gateway has it now.
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { connect } from "../gateway.js";
import { GATEWAY_OPTIONS } from "../shared-options.js";

export const get: Command = {
  usage: "get <task-id> [options]",
  description: "Show a task: its status and progress, when it was created and last updated, and where its video is.",
  options: { ...GATEWAY_OPTIONS },
  positionals: ["task-id"],
  examples: [
    "kling-video get task_01JH8Y3Z6Q4W9XK2M5N7P8R0ST",
    "kling-video get task_01JH8Y3Z6Q4W9XK2M5N7P8R0ST --json",
  ],
  async run({ positionals, values, ctx, session, reporter }) {
    const [taskId] = positionals as [string];
    const { client, baseUrl } = connect(values, ctx);
    Object.assign(session, { baseUrl, taskId });
    reporter.task(await client.retrieve(taskId, { signal: ctx.signal }), baseUrl);
    return EXIT.ok;
  },
};
