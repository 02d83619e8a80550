import { z } from "zod";

export const Health = z.object({ status: z.literal("ok") });
export type Health = z.infer<typeof Health>;

/** The store answers: this instance can serve requests. */
export const Readiness = z.object({ status: z.literal("ready"), store: z.enum(["sqlite", "postgres"]) });
export type Readiness = z.infer<typeof Readiness>;
