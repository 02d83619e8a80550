/** Instants are stored as epoch milliseconds and shown as ISO-8601 in UTC. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

export function parseInstant(text: string): number {
  return Date.parse(text);
}
