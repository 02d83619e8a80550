import { type FormEvent, type ReactNode, useState } from "react";
import type { Deployment } from "@keyservice/sdk/src/schemas/deployments";
import { call } from "../api/caller";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorText, type FormErrors, formErrors } from "../components/errors";
import { when } from "../components/format";
import { useList } from "../hooks/use-list";
import { useRowActions } from "../hooks/use-row-actions";
import { useCan } from "../who";
import { DeploymentKeys } from "./deployment-keys";

export function DeploymentsView() {
  const can = useCan();
  const list = useList<Deployment>((cursor) => call("listDeployments", { query: { cursor } }));
  const rows = useRowActions();
  const [open, setOpen] = useState<string>();
  const [deleting, setDeleting] = useState<Deployment>();

  const toggle = (d: Deployment) =>
    rows.run(d.id, async () => {
      list.upsert(await call("updateDeployment", { params: { id: d.id }, body: { isActive: !d.isActive } }));
    });

  return (
    <section aria-labelledby="deployments-title">
      <header className="view-header">
        <h1 id="deployments-title">Deployments</h1>
        <button type="button" onClick={() => void list.refresh()} disabled={list.loading}>
          Refresh
        </button>
      </header>
      {can("createDeployment") && <CreateDeployment onCreated={(d) => list.upsert(d)} />}
      <ErrorText>{list.error}</ErrorText>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Created</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((d) => (
            <DeploymentRow key={d.id} d={d}>
              <td>{d.name}</td>
              <td>
                <span className={d.isActive ? "badge ok" : "badge off"}>{d.isActive ? "active" : "inactive"}</span>
              </td>
              <td>{when(d.createdAt)}</td>
              <td>
                <div className="row-actions">
                  {can("updateDeployment") && (
                    <button type="button" onClick={() => void toggle(d)} disabled={rows.pending(d.id)} aria-busy={rows.pending(d.id)} aria-label={`${d.isActive ? "Deactivate" : "Activate"} ${d.name}`}>
                      {rows.pending(d.id) ? "Saving…" : d.isActive ? "Deactivate" : "Activate"}
                    </button>
                  )}
                  <button type="button" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? undefined : d.id)} aria-label={`Keys of ${d.name}`}>
                    Keys
                  </button>
                  {can("deleteDeployment") && (
                    <button type="button" className="danger" onClick={() => setDeleting(d)} aria-label={`Delete ${d.name}`}>
                      Delete
                    </button>
                  )}
                  <ErrorText>{rows.error(d.id)}</ErrorText>
                </div>
              </td>
            </DeploymentRow>
          ))}
          {list.items.length === 0 && !list.loading && (
            <tr>
              <td colSpan={4} className="empty">
                No deployments yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {open && list.items.some((d) => d.id === open) && <DeploymentKeys deployment={list.items.find((d) => d.id === open)!} />}
      {list.hasMore && (
        <button type="button" onClick={() => void list.loadMore()} disabled={list.loading}>
          Load more
        </button>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete deployment “${deleting.name}”?`}
          message={`Deployment “${deleting.name}” and all of its deployment keys are deleted at once; global keys stop opening it.`}
          confirm={`Delete ${deleting.name}`}
          onConfirm={async () => {
            await call("deleteDeployment", { params: { id: deleting.id } });
            list.remove(deleting.id);
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </section>
  );
}

function DeploymentRow({ d, children }: { d: Deployment; children: ReactNode }) {
  return <tr data-row={d.name}>{children}</tr>;
}

function CreateDeployment({ onCreated }: { onCreated: (d: Deployment) => void }) {
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    setErrors({ fields: {} });
    try {
      onCreated(await call("createDeployment", { body: { name } }));
      setName("");
    } catch (err) {
      setErrors(formErrors(err, ["name"]));
    } finally {
      setPending(false);
    }
  };
  return (
    <form className="create" onSubmit={submit} noValidate aria-label="Create a deployment">
      <label htmlFor="deployment-name">New deployment</label>
      <div className="inline">
        <input id="deployment-name" name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="name, e.g. invoices" aria-describedby="deployment-name-error" />
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? "Creating…" : "Create deployment"}
        </button>
      </div>
      <ErrorText id="deployment-name-error">{errors.fields.name}</ErrorText>
      <ErrorText>{errors.form}</ErrorText>
    </form>
  );
}
