import { z } from "zod";
import { Id, Instant, Name } from "./common";

export const Role = z.enum(["admin", "member"]);
export type Role = z.infer<typeof Role>;

export const CreateMemberRequest = z.strictObject({ name: Name, role: Role });
export type CreateMemberRequest = z.input<typeof CreateMemberRequest>;

export const Member = z.object({ id: Id, name: z.string(), role: Role, createdAt: Instant });
export type Member = z.infer<typeof Member>;

/** The token appears once, in this response. */
export const MemberWithToken = Member.extend({ token: z.string() });
export type MemberWithToken = z.infer<typeof MemberWithToken>;
