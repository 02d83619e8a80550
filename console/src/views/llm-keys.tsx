import { useState } from "react";
import type { LlmKey } from "@keyservice/sdk/src/schemas/llm-keys";
import { call } from "../api/caller";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorText } from "../components/errors";
import { when } from "../components/format";
import { useList } from "../hooks/use-list";
import { useSubmit } from "../hooks/use-submit";
import { useCan } from "../who";

/** A tenant's provider keys: stored encrypted, only ever shown as a hint. */
export function LlmKeysView() {
  const can = useCan();
  const list = useList<LlmKey>((cursor) => call("listLlmKeys", { query: { cursor } }));
  const [creating, setCreating] = useState(false);
  const [replacing, setReplacing] = useState<LlmKey>();
  const [deleting, setDeleting] = useState<LlmKey>();

  return (
    <section aria-labelledby="llm-title">
      <header className="view-header">
        <h1 id="llm-title">LLM keys</h1>
        <div className="inline">
          {can("createLlmKey") && !creating && (
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              Add LLM key
            </button>
          )}
          <button type="button" onClick={() => void list.refresh()} disabled={list.loading}>
            Refresh
          </button>
        </div>
      </header>
      {creating && (
        <CreateLlmKey
          onCancel={() => setCreating(false)}
          onCreated={(k) => {
            list.upsert(k);
            setCreating(false);
          }}
        />
      )}
      {replacing && (
        <ReplaceSecret
          key={replacing.id}
          llmKey={replacing}
          onCancel={() => setReplacing(undefined)}
          onSaved={(k) => {
            list.upsert(k);
            setReplacing(undefined);
          }}
        />
      )}
      <ErrorText>{list.error}</ErrorText>
      <table aria-label="LLM keys">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Label</th>
            <th>Key</th>
            <th>Status</th>
            <th>Version</th>
            <th>Secret replaced</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((k) => (
            <tr key={k.id} data-row={k.provider}>
              <td>{k.provider}</td>
              <td>{k.label}</td>
              <td>
                <code>{k.keyHint || "—"}</code>
              </td>
              <td>
                {k.status === "active" ? (
                  <span className="badge ok">active</span>
                ) : (
                  <>
                    <span className="badge off">undecryptable</span>
                    <small className="note">The service's master keys cannot open this secret: replace it.</small>
                  </>
                )}
              </td>
              <td>{k.version}</td>
              <td>{when(k.rotatedAt)}</td>
              <td>
                <div className="row-actions">
                  {can("updateLlmKey") && (
                    <button type="button" onClick={() => setReplacing(k)} aria-label={`Replace the secret of ${k.provider}`}>
                      Replace secret
                    </button>
                  )}
                  {can("deleteLlmKey") && (
                    <button type="button" className="danger" onClick={() => setDeleting(k)} aria-label={`Delete ${k.provider}`}>
                      Delete
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
          {list.items.length === 0 && !list.loading && (
            <tr>
              <td colSpan={7} className="empty">
                No LLM keys yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {list.hasMore && (
        <button type="button" onClick={() => void list.loadMore()} disabled={list.loading}>
          Load more
        </button>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the ${deleting.provider} key “${deleting.label}”?`}
          message={`The stored ${deleting.provider} secret (${deleting.keyHint || "no hint"}) is deleted; it cannot be recovered from the service.`}
          confirm={`Delete ${deleting.label}`}
          onConfirm={async () => {
            await call("deleteLlmKey", { params: { id: deleting.id } });
            list.remove(deleting.id);
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </section>
  );
}

function CreateLlmKey({ onCreated, onCancel }: { onCreated: (k: LlmKey) => void; onCancel: () => void }) {
  const [provider, setProvider] = useState("");
  const [label, setLabel] = useState("");
  const [apiKey, setApiKey] = useState("");
  const { pending, errors, submit } = useSubmit(["provider", "label", "apiKey"], async () => {
    const created = await call("createLlmKey", { body: { provider, label, apiKey } });
    setApiKey("");
    onCreated(created);
  });
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label="Add an LLM key">
      <h2>Add an LLM key</h2>
      <label htmlFor="llm-provider">Provider (one key per provider)</label>
      <input id="llm-provider" name="provider" value={provider} onChange={(e) => setProvider(e.target.value)} placeholder="openai" />
      <ErrorText>{errors.fields.provider}</ErrorText>
      <label htmlFor="llm-label">Label</label>
      <input id="llm-label" name="label" value={label} onChange={(e) => setLabel(e.target.value)} />
      <ErrorText>{errors.fields.label}</ErrorText>
      <label htmlFor="llm-secret">Secret (stored encrypted, never shown again)</label>
      <input id="llm-secret" name="apiKey" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
      <ErrorText>{errors.fields.apiKey}</ErrorText>
      <ErrorText>{errors.form}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : "Add key"}
        </button>
        <button type="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ReplaceSecret({ llmKey, onSaved, onCancel }: { llmKey: LlmKey; onSaved: (k: LlmKey) => void; onCancel: () => void }) {
  const [label, setLabel] = useState(llmKey.label);
  const [apiKey, setApiKey] = useState("");
  const { pending, errors, submit } = useSubmit(["label", "apiKey"], async () => {
    const saved = await call("updateLlmKey", { params: { id: llmKey.id }, body: { ...(label !== llmKey.label ? { label } : {}), apiKey } });
    setApiKey("");
    onSaved(saved);
  });
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={`Replace the secret of ${llmKey.provider}`}>
      <h2>
        Replace the {llmKey.provider} secret “{llmKey.label}”
      </h2>
      <p className="note">The new secret replaces the stored one in place (same id, next version).</p>
      <label htmlFor="llm-replace-label">Label</label>
      <input id="llm-replace-label" name="label" value={label} onChange={(e) => setLabel(e.target.value)} />
      <ErrorText>{errors.fields.label}</ErrorText>
      <label htmlFor="llm-replace-secret">New secret</label>
      <input id="llm-replace-secret" name="apiKey" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
      <ErrorText>{errors.fields.apiKey}</ErrorText>
      <ErrorText>{errors.form}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : "Replace secret"}
        </button>
        <button type="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
