import { type FormEvent, useState } from "react";
import type { Deployment, DeploymentKey } from "@keyservice/sdk/src/schemas/deployments";
import { call } from "../api/caller";
import { ConfirmDialog } from "../components/confirm-dialog";
import { CopyOnceDialog, type Revealed } from "../components/copy-once-dialog";
import { ErrorText, type FormErrors, formErrors } from "../components/errors";
import { when } from "../components/format";
import { useList } from "../hooks/use-list";
import { useCan } from "../who";

/** One deployment's own keys: list, create (the secret shown once), revoke. */
export function DeploymentKeys({ deployment }: { deployment: Deployment }) {
  const can = useCan();
  const list = useList<DeploymentKey>((cursor) => call("listDeploymentKeys", { params: { id: deployment.id }, query: { cursor } }));
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [revoking, setRevoking] = useState<DeploymentKey>();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    setErrors({ fields: {} });
    try {
      const { key, ...row } = await call("createDeploymentKey", { params: { id: deployment.id }, body: name ? { name } : {} });
      list.upsert(row);
      setName("");
      setRevealed({ what: `a deployment key of “${deployment.name}”`, secret: key, hint: row.keyHint });
    } catch (err) {
      setErrors(formErrors(err, ["name"]));
    } finally {
      setPending(false);
    }
  };

  const label = (k: DeploymentKey) => k.name ?? k.keyHint;
  return (
    <section className="sub" aria-label={`Keys of ${deployment.name}`}>
      <h2>Keys of “{deployment.name}”</h2>
      {can("createDeploymentKey") && (
        <form className="create" onSubmit={create} noValidate aria-label={`Create a key for ${deployment.name}`}>
          <label htmlFor="deployment-key-name">New deployment key (name optional)</label>
          <div className="inline">
            <input id="deployment-key-name" name="name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="deployment-key-name-error" />
            <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
              {pending ? "Creating…" : "Create key"}
            </button>
          </div>
          <ErrorText id="deployment-key-name-error">{errors.fields.name}</ErrorText>
          <ErrorText>{errors.form}</ErrorText>
        </form>
      )}
      <ErrorText>{list.error}</ErrorText>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((k) => (
            <tr key={k.id}>
              <td>{k.name ?? "—"}</td>
              <td>
                <code>{k.keyHint}</code>
              </td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td>
                {can("deleteDeploymentKey") && (
                  <button type="button" className="danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${label(k)}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {list.items.length === 0 && !list.loading && (
            <tr>
              <td colSpan={5} className="empty">
                No deployment keys.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {revealed && <CopyOnceDialog revealed={revealed} onClose={() => setRevealed(null)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke deployment key “${label(revoking)}”?`}
          message={`The key ${revoking.keyHint} of “${deployment.name}” stops working at once.`}
          confirm={`Revoke ${label(revoking)}`}
          onConfirm={async () => {
            await call("deleteDeploymentKey", { params: { id: deployment.id, keyId: revoking.id } });
            list.remove(revoking.id);
          }}
          onClose={() => setRevoking(undefined)}
        />
      )}
    </section>
  );
}
