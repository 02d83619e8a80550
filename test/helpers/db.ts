import Database from "better-sqlite3";

/** Runs one query against a SQLite file opened read-only (the service may be running on it). */
export function queryDb<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The single number a `SELECT count(*) ...` returns. */
export function countRows(dbPath: string, sql: string, ...params: unknown[]): number {
  const [row] = queryDb<Record<string, number>>(dbPath, sql, ...params);
  return Number(Object.values(row)[0]);
}

/**
 * Runs one write against the SQLite file while the service runs (WAL; waits out its locks). Only
 * for what no API can do, such as moving a record back in time; returns the rows changed.
 */
export function writeDb(dbPath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbPath, { fileMustExist: true, timeout: 5000 });
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
