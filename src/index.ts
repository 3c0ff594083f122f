export { createVideoClient, VideoClient } from "./client.js";
export type { GenerateOptions, RequestOptions, VideoClientOptions } from "./client.js";
export type { WaitOptions } from "./wait.js";
export type { Fetch } from "./transport.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  InvalidResponseError,
  KlingVideoError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  VideoRequestValidationError,
  VideoTaskFailedError,
  VideoUrlExpiredError,
  WaitTimeoutError,
} from "./errors.js";
export type { ValidationIssue } from "./errors.js";
export { checkCreateVideoTaskRequest } from "./validation.js";
export type * from "./types.js";
