import { z } from "zod";
import { Id, Instant, Name } from "./common";

export const Role = z.enum(["admin", "member"]);
export type Role = z.infer<typeof Role>;

export const CreateMemberRequest = z.strictObject({ name: Name, role: Role });
export type CreateMemberRequest = z.input<typeof CreateMemberRequest>;

/** A member as anyone in the org may see it: never a token. */
export const Member = z.object({ id: Id, name: z.string(), role: Role, createdAt: Instant, lastUsedAt: Instant.nullable() });
export type Member = z.infer<typeof Member>;

/** The token appears once, in the response of create and rotate-token. */
export const MemberWithToken = Member.extend({ token: z.string() });
export type MemberWithToken = z.infer<typeof MemberWithToken>;

export const UpdateMemberRequest = z.strictObject({ name: Name.optional(), role: Role.optional() });
export type UpdateMemberRequest = z.input<typeof UpdateMemberRequest>;
