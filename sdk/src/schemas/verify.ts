import { z } from "zod";
import { Id } from "./common";

export const VerifyKeyRequest = z.strictObject({ key: z.string().min(1, "must not be empty").max(512, "must be at most 512 characters") });
export type VerifyKeyRequest = z.input<typeof VerifyKeyRequest>;

export const KeyKind = z.enum(["global", "platform", "deployment", "user", "impersonation"]);
export type KeyKind = z.infer<typeof KeyKind>;

export const VerifyKeyResult = z.object({
  valid: z.boolean(),
  code: z.enum(["VALID", "NOT_FOUND", "DISABLED", "EXPIRED"]),
  kind: KeyKind.optional(),
  keyId: Id.optional(),
});
export type VerifyKeyResult = z.infer<typeof VerifyKeyResult>;
