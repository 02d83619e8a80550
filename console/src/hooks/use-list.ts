import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "../components/errors";

type Page<T> = { items: T[]; nextCursor: string | null };

export interface List<T extends { id: string }> {
  items: T[];
  loading: boolean;
  error?: string;
  hasMore: boolean;
  /** Reloads what is shown (as many pages as were loaded), keeping every form's state. */
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
  /** Local changes after a write answered: they win over a refresh that started before them. */
  upsert(item: T, where?: "start" | "end"): void;
  remove(id: string): void;
}

/** Refreshes every so often, so a console left open shows what others changed. */
const AUTO_REFRESH_MS = 20_000;

/** A paged list from a list route, refreshed in place: rows keep their identity, forms keep their state. */
export function useList<T extends { id: string }>(load: (cursor?: string) => Promise<Page<T>>): List<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const pages = useRef(1);
  // Bumped by every local change: a refresh that began before one is stale when it ends.
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const refresh = useCallback(async () => {
    const started = generation.current;
    setLoading(true);
    try {
      const all: T[] = [];
      let next: string | null = null;
      for (let i = 0; i < pages.current; i++) {
        const page: Page<T> = await loadRef.current(next ?? undefined);
        all.push(...page.items);
        next = page.nextCursor;
        if (!next) break;
      }
      if (generation.current !== started) return;
      setItems(all);
      setCursor(next);
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await loadRef.current(cursor);
      pages.current += 1;
      setItems((all) => [...all, ...page.items.filter((i) => !all.some((a) => a.id === i.id))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }, [cursor]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const upsert = useCallback((item: T, where: "start" | "end" = "end") => {
    generation.current += 1;
    setItems((all) => {
      const at = all.findIndex((a) => a.id === item.id);
      if (at >= 0) return all.map((a) => (a.id === item.id ? item : a));
      return where === "start" ? [item, ...all] : [...all, item];
    });
  }, []);

  const remove = useCallback((id: string) => {
    generation.current += 1;
    setItems((all) => all.filter((a) => a.id !== id));
  }, []);

  return { items, loading, error, hasMore: cursor !== null, refresh, loadMore, upsert, remove };
}
