import { type FormEvent, useCallback, useEffect, useState } from "react";
import { routes } from "@keyservice/sdk/src/routes";
import type { AuditEvent } from "@keyservice/sdk/src/schemas/audit";
import { call } from "../api/caller";
import { ErrorText, messageOf } from "../components/errors";
import { when } from "../components/format";

const PAGE_SIZE = 25;
/** Actions the route table names; the datalist also learns the ones it sees. */
const ROUTE_ACTIONS = Object.values(routes).flatMap((r) => ("audit" in r && r.audit ? [r.audit] : []));

/** The org's audit trail, newest first, a page at a time, filtered by action. */
export function AuditView() {
  const [action, setAction] = useState("");
  const [filter, setFilter] = useState("");
  // The cursors of the pages before this one: "Newer" goes back one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: AuditEvent[]; nextCursor: string | null }>();
  const [seen, setSeen] = useState<ReadonlySet<string>>(new Set(ROUTE_ACTIONS));
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const cursor = cursors[cursors.length - 1];

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const next = await call("listAuditEvents", { query: { limit: PAGE_SIZE, cursor, action: filter || undefined, order: "desc" } });
      setPage(next);
      setSeen((all) => new Set([...all, ...next.items.map((e) => e.action)]));
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }, [cursor, filter]);

  useEffect(() => {
    void load();
  }, [load]);

  const applyFilter = (e: FormEvent) => {
    e.preventDefault();
    setFilter(action.trim());
    setCursors([undefined]);
  };

  return (
    <section aria-labelledby="audit-title">
      <header className="view-header">
        <h1 id="audit-title">Audit events</h1>
        <button type="button" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
      </header>
      <form className="create" onSubmit={applyFilter} aria-label="Filter audit events">
        <label htmlFor="audit-action">Action</label>
        <div className="inline">
          <input id="audit-action" name="action" list="audit-actions" value={action} onChange={(e) => setAction(e.target.value)} placeholder="all actions, or e.g. global_api_key.rotate" />
          <datalist id="audit-actions">
            {[...seen].sort().map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <button type="submit">Filter</button>
          {filter && (
            <button
              type="button"
              onClick={() => {
                setAction("");
                setFilter("");
                setCursors([undefined]);
              }}
            >
              Clear
            </button>
          )}
        </div>
        <ErrorText>{error}</ErrorText>
      </form>
      <table aria-label="Audit events">
        <thead>
          <tr>
            <th>When</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
            <th>Outcome</th>
            <th>Count</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td title={e.at}>{when(e.at)}</td>
              <td>
                <code>{e.actor}</code>
              </td>
              <td>{e.action}</td>
              <td>
                <code>{e.target ?? "—"}</code>
              </td>
              <td>
                <span className={e.outcome === "success" ? "badge ok" : "badge off"}>{e.outcome}</span>
              </td>
              <td>{e.count}</td>
            </tr>
          ))}
          {page && page.items.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                No events{filter ? ` with action “${filter}”` : ""}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <nav className="pager" aria-label="Audit pages">
        <button type="button" disabled={cursors.length === 1 || loading} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Newer
        </button>
        <span>Page {cursors.length}</span>
        <button type="button" disabled={!page?.nextCursor || loading} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
          Older →
        </button>
      </nav>
    </section>
  );
}
