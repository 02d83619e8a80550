import type { ReactNode } from "react";
import type { GlobalApiKey, PlatformApiKey } from "@keyservice/sdk/src/schemas/api-keys";
import { isPast, when } from "../components/format";

type ApiKey = GlobalApiKey | PlatformApiKey;

/** A key's state as a person reads it: inactive, expired or active, and whether a previous secret still works. */
export function KeyStatus({ k }: { k: ApiKey }) {
  const state = !k.isActive ? "inactive" : isPast(k.expiresAt) ? "expired" : "active";
  const grace = k.previousKeyExpiresAt && !isPast(k.previousKeyExpiresAt);
  return (
    <>
      <span className={`badge ${state === "active" ? "ok" : "off"}`}>{state}</span>
      {grace && <small className="note">previous secret works until {when(k.previousKeyExpiresAt)}</small>}
    </>
  );
}

/** The columns every API key shows; `extra` is the kind's own (scope or tier). */
export function ApiKeyTable<K extends ApiKey>(props: { label: string; items: K[]; loading: boolean; extraHeader: string; extra: (k: K) => ReactNode; actions: (k: K) => ReactNode }) {
  return (
    <table aria-label={props.label}>
      <thead>
        <tr>
          <th>Name</th>
          <th>Key</th>
          <th>Status</th>
          <th>{props.extraHeader}</th>
          <th>Version</th>
          <th>Last rotated</th>
          <th>Expires</th>
          <th>Last used</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((k) => (
          <tr key={k.id} data-row={k.name}>
            <td>
              {k.name}
              {k.description && <small className="note">{k.description}</small>}
            </td>
            <td>
              <code>{k.keyHint}</code>
            </td>
            <td>
              <KeyStatus k={k} />
            </td>
            <td>{props.extra(k)}</td>
            <td>{k.version}</td>
            <td>{when(k.rotatedAt)}</td>
            <td>{when(k.expiresAt)}</td>
            <td>{when(k.lastUsedAt)}</td>
            <td>
              <div className="row-actions">{props.actions(k)}</div>
            </td>
          </tr>
        ))}
        {props.items.length === 0 && !props.loading && (
          <tr>
            <td colSpan={9} className="empty">
              None yet.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
