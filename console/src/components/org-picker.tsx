import { type FormEvent, useEffect, useState } from "react";
import type { Org } from "@keyservice/sdk/src/schemas/admin";
import type { Whoami } from "@keyservice/sdk/src/schemas/whoami";
import { call } from "../api/caller";
import { readSession, writeSession } from "../api/session";
import { ErrorText, messageOf } from "./errors";

/**
 * A platform admin (a `ks_adm_` token) acts in an org only through an impersonation: it picks the
 * org, says why (the reason goes into the org's own audit trail), and the console works with the
 * short-lived token the service issues, stopped again on sign-out.
 */
export function OrgPicker({ onSignedIn, onCancel }: { onSignedIn: (who: Whoami) => void; onCancel: () => void }) {
  const [orgs, setOrgs] = useState<Org[]>();
  const [org, setOrg] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const [reasonError, setReasonError] = useState<string>();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    call("listOrgs", { query: { limit: 100 } }).then(
      (page) => setOrgs(page.items),
      (err: unknown) => setError(`The org list could not be read: ${messageOf(err)}`),
    );
  }, []);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const session = readSession();
    if (!session || pending) return;
    if (!org) return setError("Pick an org.");
    if (!reason.trim()) return setReasonError("Say why: the reason goes into the org's audit trail.");
    setPending(true);
    setError(undefined);
    setReasonError(undefined);
    try {
      const impersonation = await call("impersonate", { body: { org, reason } });
      writeSession({ token: impersonation.token, org, admin: { token: session.token, impersonationId: impersonation.id } });
      onSignedIn(await call("whoami"));
    } catch (err) {
      writeSession({ token: session.token, org: "" });
      setError(messageOf(err));
      setPending(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Act in an org</h1>
      <p className="note">You signed in as a platform admin. To manage an org, act as its admin for up to an hour: the start, every request and the stop are recorded in the org's audit trail, with your reason.</p>
      <ErrorText>{error}</ErrorText>
      {!orgs && !error && <p>Loading orgs…</p>}
      {orgs && (
        <form onSubmit={(e) => void start(e)} aria-label="Start an impersonation">
          <label htmlFor="org-picker-org">Org</label>
          <select id="org-picker-org" value={org} onChange={(e) => setOrg(e.target.value)} disabled={pending}>
            <option value="">Choose an org…</option>
            {orgs.map((o) => (
              <option key={o.slug} value={o.slug} disabled={!o.isActive}>
                {o.name === o.slug ? o.slug : `${o.name} (${o.slug})`}
                {o.isActive ? "" : " — deactivated"}
              </option>
            ))}
          </select>
          <label htmlFor="org-picker-reason">Reason</label>
          <textarea id="org-picker-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} disabled={pending} />
          <ErrorText>{reasonError}</ErrorText>
          <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
            {pending ? "Starting…" : "Act as org admin"}
          </button>
        </form>
      )}
      <button type="button" onClick={onCancel}>
        Back
      </button>
    </main>
  );
}
