import { type SelectQueryBuilder, sql } from "kysely";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A page with each row shown as the API shows it. */
export function mapPage<T, U>(page: Page<T>, show: (row: T) => U): Page<U> {
  return { items: page.items.map(show), nextCursor: page.nextCursor };
}

/**
 * One page of a list, by keyset on a time-ordered id (UUIDv7): `limit` rows after (or, newest
 * first, before) the cursor, and the cursor of the next page when there is one. Stable while
 * writes go on: a row is never shown twice, and every row that existed when paging began is shown.
 */
export async function paginate<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  { column = "id", limit, cursor, order = "asc" }: { column?: string; limit: number; cursor?: string; order?: "asc" | "desc" },
): Promise<Page<O>> {
  let q = query;
  if (cursor) q = q.where(sql<boolean>`${sql.ref(column)} ${sql.raw(order === "asc" ? ">" : "<")} ${cursor}`);
  const rows = await q.orderBy(sql.ref(column), order).limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
