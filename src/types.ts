// The public types, taken from the spec's generated schema (never restated here). Object types
// are interfaces, so that hovers and errors say `VideoTask` rather than spelling it out.
import type { components, operations, paths } from "../generated/schema.js";

type Schemas = components["schemas"];

export type { components, operations, paths };

type VideoTaskSchema = Schemas["VideoTask"];
type VideoTaskErrorSchema = Schemas["VideoTaskError"];
type LegacyTaskSchema = Schemas["LegacyTask"];
export interface VideoTask extends VideoTaskSchema {}
export interface VideoTaskError extends VideoTaskErrorSchema {}
export interface LegacyTask extends LegacyTaskSchema {}
export type MultiPromptShot = Schemas["MultiPromptShot"];
export type CreateVideoTaskRequest = Schemas["CreateVideoTaskRequest"];
export type ExtraBody = Schemas["ExtraBody"];
export type VideoModel = Schemas["VideoModel"];
export type VideoStatus = Schemas["VideoStatus"];
export type LegacyTaskStatus = Schemas["LegacyTaskStatus"];
export type AspectRatio = Schemas["AspectRatio"];
export type VideoDuration = Schemas["VideoDuration"];
export type ShotType = Schemas["ShotType"];
export type ErrorResponse = Schemas["ErrorResponse"];

/** snake_case to camelCase, at the type level: "cfg_scale" -> "cfgScale". */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
/** The camelCase spellings of the known snake_case keys, each forbidden. */
type NoCamelCaseTwins<Known> = {
  [Key in keyof Known as Key extends string ? (CamelCase<Key> extends Key ? never : CamelCase<Key>) : never]?: never;
};
/** The keys a type names, without its index signature. */
type KnownKeys<T> = { [Key in keyof T as string extends Key ? never : number extends Key ? never : Key]: T[Key] };

/**
 * An image for `image` or `last_image`: a URL or data: URI as the spec says, or the bytes
 * themselves (a Blob or File in browsers, a Uint8Array or Buffer anywhere), which the SDK sends
 * as a data: URI after checking their type and size.
 */
export type ImageInput = string | Blob | Uint8Array;

/**
 * What `create` and `generate` take: the spec's request, with images as bytes allowed, and
 * `extra_body` still open to pass-through keys (the provider's own parameters) but not to the
 * camelCase twin of a known key (`cfgScale` for `cfg_scale`), a typo the compiler can catch.
 */
export interface CreateVideoTaskInput extends Omit<CreateVideoTaskRequest, "image" | "last_image" | "extra_body"> {
  image?: ImageInput;
  last_image?: ImageInput;
  extra_body?: ExtraBody & NoCamelCaseTwins<KnownKeys<ExtraBody>>;
}
