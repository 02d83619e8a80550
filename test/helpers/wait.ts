/** Calls `probe` every `intervalMs` until `done` accepts its result; fails after `timeoutMs`. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 8000, intervalMs = 50, what = "the condition" }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves once the clock has passed an instant (plus a small margin). */
export async function waitUntilPast(instant: string | number, marginMs = 20): Promise<void> {
  const at = typeof instant === "number" ? instant : Date.parse(instant);
  const ms = at - Date.now() + marginMs;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** Settles a promise into a status: 200-ish on success, the error's HTTP status on failure. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (err) {
    const status = (err as { httpStatus?: number }).httpStatus;
    if (typeof status !== "number") throw err;
    return status;
  }
}
