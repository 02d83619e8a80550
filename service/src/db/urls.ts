// What a store URL says, with no driver loaded: a process on SQLite never loads pg (about 10 MB of memory).

/** A `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL as it may appear in a log or an error: never the password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparseable database URL)";
  }
}

/** Host, port, database and user of a URL, for the one line an operator reads when it fails. */
export function describeTarget(url: string): string {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || "(default)";
  const user = decodeURIComponent(u.username) || "(default user)";
  return `PostgreSQL at ${u.hostname || "localhost"}:${u.port || "5432"}, database "${database}", as user "${user}"`;
}
