import { z } from "zod";

export const Health = z.object({ status: z.literal("ok") });
export type Health = z.infer<typeof Health>;

/** The store answers: this instance can serve requests. */
export const Readiness = z.object({ status: z.literal("ready"), store: z.enum(["sqlite", "postgres"]) });
export type Readiness = z.infer<typeof Readiness>;

/** An OpenAPI 3.1 document (its shape is OpenAPI's own). */
export const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) });
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;
