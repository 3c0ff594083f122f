// The public types, taken from the spec's generated schema (never restated here).
import type { components, operations, paths } from "../generated/schema.js";

type Schemas = components["schemas"];

export type { components, operations, paths };
export type CreateVideoTaskRequest = Schemas["CreateVideoTaskRequest"];
export type VideoTask = Schemas["VideoTask"];
export type VideoModel = Schemas["VideoModel"];
export type VideoStatus = Schemas["VideoStatus"];
export type AspectRatio = Schemas["AspectRatio"];
export type VideoDuration = Schemas["VideoDuration"];
export type ExtraBody = Schemas["ExtraBody"];
export type ShotType = Schemas["ShotType"];
export type MultiPromptShot = Schemas["MultiPromptShot"];
export type VideoTaskError = Schemas["VideoTaskError"];
export type ErrorResponse = Schemas["ErrorResponse"];
export type ApiErrorBody = Schemas["ApiError"];
