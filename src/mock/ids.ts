// Ids as real gateways make them: new-api's task ids (`task_` and 32 letters or digits,
// model/task.go GenerateTaskID) and request ids (a UTC time, nanoseconds, a build hash and 8
// random characters: 39 in all, common/utils.go NewRequestId); others' `req_...` request ids.

const ALPHANUMERIC = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const HEX = "0123456789abcdef";

function randomText(length: number, alphabet: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

export const newTaskId = (): string => `task_${randomText(32, ALPHANUMERIC)}`;

export function newApiRequestId(now: number): string {
  const time = new Date(now).toISOString().replace(/\D/g, "").slice(0, 14);
  return `${time}${randomText(9, "0123456789")}${randomText(8, HEX)}${randomText(8, ALPHANUMERIC)}`;
}

export const openAiRequestId = (): string => `req_${randomText(16, HEX)}`;
