// `kling-video download <task-id> --out <file>`: the finished video, from wherever the task says
// it is (the SDK retrieves the task first and picks the source).
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { outFile, resumeCommand, saveVideo } from "../follow.js";
import { connect } from "../gateway.js";
import { GATEWAY_OPTIONS, OUT_OPTIONS } from "../shared-options.js";

export const download: Command = {
  usage: "download <task-id> --out <file> [options]",
  description: "Save a finished task's video. The file appears only once complete; --force replaces an existing one.",
  options: { ...OUT_OPTIONS, ...GATEWAY_OPTIONS },
  positionals: ["task-id"],
  examples: ["kling-video download task_01JH8Y3Z6Q4W9XK2M5N7P8R0ST --out video.mp4"],
  async run(input) {
    const { positionals, values, ctx, session } = input;
    const [taskId] = positionals as [string];
    const out = await outFile(values);
    if (!out) throw new UsageError("download needs --out <file>");
    const gateway = connect(values, ctx);
    Object.assign(session, {
      baseUrl: gateway.baseUrl,
      taskId,
      resume: resumeCommand("download", taskId, out, values),
    });
    await saveVideo(input, gateway, taskId, out);
    return EXIT.ok;
  },
};
