/** Instants are stored as epoch milliseconds and shown as ISO-8601 in UTC. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

/** The span `iso()` can show as `YYYY-MM-DDTHH:mm:ss.sssZ`: outside it, toISOString() writes a 6-digit year. */
export const FIRST_INSTANT = Date.parse("0000-01-01T00:00:00.000Z");
export const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

export function parseInstant(text: string): number {
  return Date.parse(text);
}
