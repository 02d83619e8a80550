import { useState } from "react";
import { mayHandleTier, mayWiden } from "@keyservice/sdk/src/access";
import { Permission, permissionRank, type PlatformApiKey, type UpdatePlatformApiKeyRequest } from "@keyservice/sdk/src/schemas/api-keys";
import { call } from "../api/caller";
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

const FIELDS = ["name", "description", "expiresAt", "isActive", "permission"] as const;

const TIER_LABEL: Record<Permission, string> = {
  read: "read — GET only",
  read_write: "read_write — + create and change, narrowing keys only",
  full_access: "full_access — + delete, mint and rotate secrets",
};

export function PlatformKeysView() {
  const can = useCan();
  const who = useWho();
  const keys = useList<PlatformApiKey>((cursor) => call("listPlatformApiKeys", { query: { cursor } }));
  const rows = useRowActions();
  const [form, setForm] = useState<{ mode: "create" } | { mode: "edit"; key: PlatformApiKey }>();
  const [rotating, setRotating] = useState<PlatformApiKey>();
  const [deleting, setDeleting] = useState<PlatformApiKey>();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  // A key above the caller's own tier is shown, never handled.
  const handles = (k: PlatformApiKey) => mayHandleTier(who, k.permission);

  const toggle = (k: PlatformApiKey) =>
    rows.run(k.id, async () => {
      keys.upsert(await call("updatePlatformApiKey", { params: { id: k.id }, body: { isActive: !k.isActive } }));
    });

  return (
    <section aria-labelledby="platform-title">
      <header className="view-header">
        <h1 id="platform-title">Platform API keys</h1>
        <div className="inline">
          {can("createPlatformApiKey") && !form && (
            <button type="button" className="primary" onClick={() => setForm({ mode: "create" })}>
              New platform API key
            </button>
          )}
          <button type="button" onClick={() => void keys.refresh()} disabled={keys.loading}>
            Refresh
          </button>
        </div>
      </header>
      {form && (
        <PlatformKeyForm
          key={form.mode === "edit" ? form.key.id : "create"}
          editing={form.mode === "edit" ? form.key : undefined}
          onCancel={() => setForm(undefined)}
          onSaved={(row, key) => {
            keys.upsert(row);
            setForm(undefined);
            if (key) setRevealed({ what: `platform API key “${row.name}”`, secret: key, hint: row.keyHint });
          }}
        />
      )}
      <ErrorText>{keys.error}</ErrorText>
      <ApiKeyTable
        label="Platform API keys"
        items={keys.items}
        loading={keys.loading}
        extraHeader="Tier"
        extra={(k) => <span className={`tier tier-${k.permission}`}>{k.permission}</span>}
        actions={(k) =>
          !handles(k) ? (
            <small className="note">above your tier</small>
          ) : (
            <>
              {can("updatePlatformApiKey") && (
                <button type="button" onClick={() => setForm({ mode: "edit", key: k })} aria-label={`Edit ${k.name}`}>
                  Edit
                </button>
              )}
              {can("updatePlatformApiKey") && (k.isActive || mayWiden(who)) && (
                <button type="button" onClick={() => void toggle(k)} disabled={rows.pending(k.id)} aria-busy={rows.pending(k.id)} aria-label={`${k.isActive ? "Deactivate" : "Activate"} ${k.name}`}>
                  {rows.pending(k.id) ? "Saving…" : k.isActive ? "Deactivate" : "Activate"}
                </button>
              )}
              {can("rotatePlatformApiKey") && (
                <button type="button" onClick={() => setRotating(k)} aria-label={`Rotate ${k.name}`}>
                  Rotate
                </button>
              )}
              {can("deletePlatformApiKey") && (
                <button type="button" className="danger" onClick={() => setDeleting(k)} aria-label={`Delete ${k.name}`}>
                  Delete
                </button>
              )}
              <ErrorText>{rows.error(k.id)}</ErrorText>
            </>
          )
        }
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
            const { key, ...row } = await call("rotatePlatformApiKey", { params: { id: rotating.id }, body: { gracePeriodSeconds } });
            keys.upsert(row);
            setRotating(undefined);
            setRevealed({ what: `platform API key “${row.name}” (version ${row.version})`, secret: key, hint: row.keyHint });
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete platform API key “${deleting.name}”?`}
          message={`The ${deleting.permission} key “${deleting.name}” (${deleting.keyHint}) is revoked at once: automation using it is refused from now on.`}
          confirm={`Delete ${deleting.name}`}
          onConfirm={async () => {
            await call("deletePlatformApiKey", { params: { id: deleting.id } });
            keys.remove(deleting.id);
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
      {revealed && <CopyOnceDialog revealed={revealed} onClose={() => setRevealed(null)} />}
    </section>
  );
}

function PlatformKeyForm(props: { editing?: PlatformApiKey; onSaved: (key: PlatformApiKey, secret?: string) => void; onCancel: () => void }) {
  const who = useWho();
  const { editing } = props;
  const initialFields = editing ? keyFieldsOf(editing) : emptyKeyFields();
  const [fields, setFields] = useState<KeyFieldValues>(initialFields);
  const [permission, setPermission] = useState<Permission>(editing?.permission ?? "read");
  // Never above the caller's own tier; a key that may only narrow never rises either.
  const tiers = Permission.options.filter(
    (t) => mayHandleTier(who, t) && (!editing || mayWiden(who) || permissionRank[t] <= permissionRank[editing.permission]),
  );

  const { pending, errors, submit } = useSubmit(FIELDS, async () => {
    if (!editing) {
      const { key, ...created } = await call("createPlatformApiKey", {
        body: {
          name: fields.name,
          ...(fields.description ? { description: fields.description } : {}),
          isActive: fields.isActive,
          expiresAt: expiresAtOf(fields.expires),
          permission,
        },
      });
      props.onSaved(created, key);
      return;
    }
    const patch: UpdatePlatformApiKeyRequest = {};
    if (fields.name !== initialFields.name) patch.name = fields.name;
    if (fields.description !== initialFields.description) patch.description = fields.description || null;
    if (fields.isActive !== initialFields.isActive) patch.isActive = fields.isActive;
    if (fields.expires !== initialFields.expires) patch.expiresAt = expiresAtOf(fields.expires);
    if (permission !== editing.permission) patch.permission = permission;
    props.onSaved(Object.keys(patch).length === 0 ? editing : await call("updatePlatformApiKey", { params: { id: editing.id }, body: patch }));
  });

  const p = editing ? "edit-platform" : "new-platform";
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={editing ? `Edit ${editing.name}` : "New platform API key"}>
      <h2>{editing ? `Edit “${editing.name}”` : "New platform API key"}</h2>
      {editing && !mayWiden(who) && <p className="note">A read_write key can only narrow a key: deactivate it, shorten its expiry, lower its tier.</p>}
      <KeyFields idPrefix={p} values={fields} onChange={setFields} errors={errors.fields} canActivate={mayWiden(who) || !editing} />
      <label htmlFor={`${p}-permission`}>Tier</label>
      <select id={`${p}-permission`} name="permission" value={permission} onChange={(e) => setPermission(Permission.parse(e.target.value))}>
        {tiers.map((t) => (
          <option key={t} value={t}>
            {TIER_LABEL[t]}
          </option>
        ))}
      </select>
      <ErrorText>{errors.fields.permission}</ErrorText>
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
