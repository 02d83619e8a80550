import { useState } from "react";
import { mayWiden } from "@keyservice/sdk/src/access";
import type { GlobalApiKey, UpdateGlobalApiKeyRequest } from "@keyservice/sdk/src/schemas/api-keys";
import type { Deployment } from "@keyservice/sdk/src/schemas/deployments";
import { call, callAll } from "../api/caller";
import { ConfirmDialog } from "../components/confirm-dialog";
import { CopyOnceDialog, type Revealed } from "../components/copy-once-dialog";
import { ErrorText } from "../components/errors";
import { emptyKeyFields, expiresAtOf, KeyFields, type KeyFieldValues, keyFieldsOf } from "../components/key-fields";
import { RotateDialog } from "../components/rotate-dialog";
import { useList } from "../hooks/use-list";
import { useRowActions } from "../hooks/use-row-actions";
import { useSubmit } from "../hooks/use-submit";
import { useCan, useWho } from "../who";
import { ApiKeyTable } from "./api-key-table";
import { type Scope, ScopeField } from "./scope-field";

const FIELDS = ["name", "description", "expiresAt", "isActive", "allowAllDeployments", "deploymentIds"] as const;

export function GlobalKeysView() {
  const can = useCan();
  const who = useWho();
  const keys = useList<GlobalApiKey>((cursor) => call("listGlobalApiKeys", { query: { cursor } }));
  // Every deployment, for the scope field and the scope column (one list, refreshed with the keys).
  const deployments = useList<Deployment>(async (cursor) => ({ items: cursor ? [] : await callAll((c) => call("listDeployments", { query: { limit: 100, cursor: c } })), nextCursor: null }));
  const rows = useRowActions();
  const [form, setForm] = useState<{ mode: "create" } | { mode: "edit"; key: GlobalApiKey }>();
  const [rotating, setRotating] = useState<GlobalApiKey>();
  const [deleting, setDeleting] = useState<GlobalApiKey>();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const nameOf = (id: string) => deployments.items.find((d) => d.id === id)?.name ?? id;

  const toggle = (k: GlobalApiKey) =>
    rows.run(k.id, async () => {
      keys.upsert(await call("updateGlobalApiKey", { params: { id: k.id }, body: { isActive: !k.isActive } }));
    });

  return (
    <section aria-labelledby="global-title">
      <header className="view-header">
        <h1 id="global-title">Global API keys</h1>
        <div className="inline">
          {can("createGlobalApiKey") && !form && (
            <button type="button" className="primary" onClick={() => setForm({ mode: "create" })}>
              New global API key
            </button>
          )}
          <button type="button" onClick={() => void Promise.all([keys.refresh(), deployments.refresh()])} disabled={keys.loading}>
            Refresh
          </button>
        </div>
      </header>
      {form && (
        <GlobalKeyForm
          key={form.mode === "edit" ? form.key.id : "create"}
          editing={form.mode === "edit" ? form.key : undefined}
          deployments={deployments.items}
          narrowOnly={!mayWiden(who)}
          onCancel={() => setForm(undefined)}
          onSaved={(row, key) => {
            keys.upsert(row);
            setForm(undefined);
            if (key) setRevealed({ what: `global API key “${row.name}”`, secret: key, hint: row.keyHint });
          }}
        />
      )}
      <ErrorText>{keys.error}</ErrorText>
      <ApiKeyTable
        label="Global API keys"
        items={keys.items}
        loading={keys.loading}
        extraHeader="Scope"
        extra={(k) => (k.allowAllDeployments ? <em>all deployments</em> : k.deploymentIds.map(nameOf).join(", "))}
        actions={(k) => (
          <>
            {can("updateGlobalApiKey") && (
              <button type="button" onClick={() => setForm({ mode: "edit", key: k })} aria-label={`Edit ${k.name}`}>
                Edit
              </button>
            )}
            {can("updateGlobalApiKey") && (k.isActive || mayWiden(who)) && (
              <button type="button" onClick={() => void toggle(k)} disabled={rows.pending(k.id)} aria-busy={rows.pending(k.id)} aria-label={`${k.isActive ? "Deactivate" : "Activate"} ${k.name}`}>
                {rows.pending(k.id) ? "Saving…" : k.isActive ? "Deactivate" : "Activate"}
              </button>
            )}
            {can("rotateGlobalApiKey") && (
              <button type="button" onClick={() => setRotating(k)} aria-label={`Rotate ${k.name}`}>
                Rotate
              </button>
            )}
            {can("deleteGlobalApiKey") && (
              <button type="button" className="danger" onClick={() => setDeleting(k)} aria-label={`Delete ${k.name}`}>
                Delete
              </button>
            )}
            <ErrorText>{rows.error(k.id)}</ErrorText>
          </>
        )}
      />
      {keys.hasMore && (
        <button type="button" onClick={() => void keys.loadMore()} disabled={keys.loading}>
          Load more
        </button>
      )}
      {rotating && (
        <RotateDialog
          name={rotating.name}
          onClose={() => setRotating(undefined)}
          onRotate={async (gracePeriodSeconds) => {
            const { key, ...row } = await call("rotateGlobalApiKey", { params: { id: rotating.id }, body: { gracePeriodSeconds } });
            keys.upsert(row);
            setRotating(undefined);
            setRevealed({ what: `global API key “${row.name}” (version ${row.version})`, secret: key, hint: row.keyHint });
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete global API key “${deleting.name}”?`}
          message={`The key “${deleting.name}” (${deleting.keyHint}) is revoked at once: anything using it, or its previous secret, is refused from now on.`}
          confirm={`Delete ${deleting.name}`}
          onConfirm={async () => {
            await call("deleteGlobalApiKey", { params: { id: deleting.id } });
            keys.remove(deleting.id);
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
      {revealed && <CopyOnceDialog revealed={revealed} onClose={() => setRevealed(null)} />}
    </section>
  );
}

function GlobalKeyForm(props: {
  editing?: GlobalApiKey;
  deployments: Deployment[];
  narrowOnly: boolean;
  /** The key as saved, and its secret when it was just created. */
  onSaved: (key: GlobalApiKey, secret?: string) => void;
  onCancel: () => void;
}) {
  const { editing } = props;
  const initialFields = editing ? keyFieldsOf(editing) : emptyKeyFields();
  const initialScope: Scope = editing ? { allowAllDeployments: editing.allowAllDeployments, deploymentIds: editing.deploymentIds } : { allowAllDeployments: false, deploymentIds: [] };
  const [fields, setFields] = useState<KeyFieldValues>(initialFields);
  const [scope, setScope] = useState<Scope>(initialScope);

  const { pending, errors, submit } = useSubmit(FIELDS, async () => {
    if (!editing) {
      const { key, ...created } = await call("createGlobalApiKey", {
        body: {
          name: fields.name,
          ...(fields.description ? { description: fields.description } : {}),
          isActive: fields.isActive,
          expiresAt: expiresAtOf(fields.expires),
          allowAllDeployments: scope.allowAllDeployments,
          ...(scope.allowAllDeployments ? {} : { deploymentIds: scope.deploymentIds }),
        },
      });
      props.onSaved(created, key);
      return;
    }
    // Only what changed: an untouched expiry is not re-sent rounded to the minute.
    const patch: UpdateGlobalApiKeyRequest = {};
    if (fields.name !== initialFields.name) patch.name = fields.name;
    if (fields.description !== initialFields.description) patch.description = fields.description || null;
    if (fields.isActive !== initialFields.isActive) patch.isActive = fields.isActive;
    if (fields.expires !== initialFields.expires) patch.expiresAt = expiresAtOf(fields.expires);
    const sameIds = scope.deploymentIds.length === initialScope.deploymentIds.length && scope.deploymentIds.every((id) => initialScope.deploymentIds.includes(id));
    if (scope.allowAllDeployments !== initialScope.allowAllDeployments || !sameIds) {
      patch.allowAllDeployments = scope.allowAllDeployments;
      patch.deploymentIds = scope.allowAllDeployments ? [] : scope.deploymentIds;
    }
    props.onSaved(Object.keys(patch).length === 0 ? editing : await call("updateGlobalApiKey", { params: { id: editing.id }, body: patch }));
  });

  const p = editing ? "edit-global" : "new-global";
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={editing ? `Edit ${editing.name}` : "New global API key"}>
      <h2>{editing ? `Edit “${editing.name}”` : "New global API key"}</h2>
      {editing && props.narrowOnly && <p className="note">A read_write key can only narrow a key: deactivate it, shorten its expiry, remove deployments.</p>}
      <KeyFields idPrefix={p} values={fields} onChange={setFields} errors={errors.fields} canActivate={!props.narrowOnly || !editing} />
      <ScopeField idPrefix={p} scope={scope} onChange={setScope} deployments={props.deployments} errors={errors.fields} narrowFrom={editing && props.narrowOnly ? initialScope : undefined} />
      <ErrorText>{errors.form}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : editing ? "Save changes" : "Create key"}
        </button>
        <button type="button" onClick={props.onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
