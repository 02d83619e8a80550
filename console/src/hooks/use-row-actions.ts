import { useCallback, useRef, useState } from "react";
import { messageOf } from "../components/errors";

export interface RowActions {
  /** Whether a request of this row is under way (its buttons show it and are disabled). */
  pending(id: string): boolean;
  /** The last error of this row, in words. */
  error(id: string): string | undefined;
  /** Runs a row's request unless one is already under way: a repeated click is ignored until it ends. */
  run(id: string, work: () => Promise<void>): Promise<void>;
  clearError(id: string): void;
}

/** A pending state and an error per row, so toggles cannot race and errors show where they happened. */
export function useRowActions(): RowActions {
  // A ref, not state: two clicks in one frame both see the first one's claim.
  const inFlight = useRef(new Set<string>());
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});

  const clearError = useCallback((id: string) => {
    setErrors((all) => {
      if (!(id in all)) return all;
      const { [id]: _, ...rest } = all;
      return rest;
    });
  }, []);

  const run = useCallback(
    async (id: string, work: () => Promise<void>) => {
      if (inFlight.current.has(id)) return;
      inFlight.current.add(id);
      setPending(new Set(inFlight.current));
      clearError(id);
      try {
        await work();
      } catch (err) {
        setErrors((all) => ({ ...all, [id]: messageOf(err) }));
      } finally {
        inFlight.current.delete(id);
        setPending(new Set(inFlight.current));
      }
    },
    [clearError],
  );

  return { pending: (id) => pending.has(id), error: (id) => errors[id], run, clearError };
}
