/** An instant as `2026-11-23 18:44:02 UTC`: one zone for everyone reading the same audit trail. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Whether an instant has passed. */
export function isPast(iso: string | null | undefined): boolean {
  return Boolean(iso && Date.parse(iso) <= Date.now());
}
