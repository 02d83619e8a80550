import { z } from "zod";

/** Ids are made by the service (UUIDv7: time-ordered, so they double as pagination cursors). */
export const Id = z.uuid({ error: "must be an id (a UUID)" });
export type Id = z.infer<typeof Id>;

/** Org slugs appear in every URL. */
export const OrgSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be 1-63 lowercase letters, digits or dashes, not starting or ending with a dash");

const FIRST_INSTANT = Date.parse("0000-01-01T00:00:00.000Z");
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

/** An ISO-8601 instant with an explicit offset (`Z` or `+02:00`); compared as an instant, never as text. */
export const Instant = z.iso
  .datetime({ offset: true, error: "must be an ISO-8601 instant with an offset, like 2026-12-31T23:59:59Z" })
  // A valid offset can push an instant out of 0000..9999 UTC, which no ISO-8601 answer could show back.
  .refine((s) => {
    const ms = Date.parse(s);
    return Number.isNaN(ms) || (ms >= FIRST_INSTANT && ms <= LAST_INSTANT);
  }, "must fall within the years 0000 to 9999 once converted to UTC");

export const Name = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .refine((s) => s.trim() === s, "must not start or end with spaces")
  // Names appear in URLs (deployments/{name}/execute), where "." and ".." can never be reached.
  .refine((s) => s !== "." && s !== "..", 'must not be "." or ".."');

export const Description = z.string().max(1000, "must be at most 1000 characters");

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1, "must be 1 to 100").max(100, "must be 1 to 100").default(50),
  cursor: z.string().max(100).optional(),
});
/** Query of every list route: `limit` 1..100 (default 50) and the `nextCursor` of the previous page. */
export type PageQuery = {
  limit?: number;
  cursor?: string;
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParams = z.object({ id: Id });
export const Empty = z.object({});
