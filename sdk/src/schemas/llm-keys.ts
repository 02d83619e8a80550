import { z } from "zod";
import { Id, Instant } from "./common";

export const LlmKeyStatus = z.enum(["active", "undecryptable"]);

export const CreateLlmKeyRequest = z.strictObject({
  provider: z.string().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  label: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters"),
  apiKey: z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters"),
});
export type CreateLlmKeyRequest = z.input<typeof CreateLlmKeyRequest>;

export const UpdateLlmKeyRequest = z.strictObject({
  label: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
  apiKey: z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters").optional(),
});
export type UpdateLlmKeyRequest = z.input<typeof UpdateLlmKeyRequest>;

/** No route ever returns the secret or its ciphertext: only a hint of its last 4 characters. */
export const LlmKey = z.object({
  id: Id,
  provider: z.string(),
  label: z.string(),
  keyHint: z.string(),
  version: z.number().int(),
  status: LlmKeyStatus,
  createdAt: Instant,
  updatedAt: Instant,
  /** When the secret was last replaced (PATCH with a new apiKey); null until then. */
  rotatedAt: Instant.nullable(),
});
export type LlmKey = z.infer<typeof LlmKey>;

export const VerifyLlmKeyRequest = z.strictObject({ apiKey: z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters") });
export type VerifyLlmKeyRequest = z.input<typeof VerifyLlmKeyRequest>;

export const VerifyLlmKeyResult = z.object({ matches: z.boolean() });
export type VerifyLlmKeyResult = z.infer<typeof VerifyLlmKeyResult>;
