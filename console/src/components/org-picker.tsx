import { useEffect, useState } from "react";
import { z } from "zod";
import type { Whoami } from "@keyservice/sdk/src/schemas/whoami";
import { call } from "../api/caller";
import { readSession, writeSession } from "../api/session";
import { ErrorText, messageOf } from "./errors";

/**
 * The org picker of a platform admin (a `ks_adm_` token). Its route, GET /api/v1/admin/orgs, is
 * being added to the contract on another branch: until `routes` names it, this component is the
 * one place that knows its path and reads its answer loosely (slugs are all it needs).
 */
const ADMIN_ORGS_PATH = "/api/v1/admin/orgs";
const AdminOrgs = z.object({ items: z.array(z.looseObject({ slug: z.string(), name: z.string().optional() })), nextCursor: z.string().nullable().optional() });

export function OrgPicker({ onSignedIn, onCancel }: { onSignedIn: (who: Whoami) => void; onCancel: () => void }) {
  const [orgs, setOrgs] = useState<{ slug: string; name?: string }[]>();
  const [error, setError] = useState<string>();
  const [picking, setPicking] = useState<string>();

  useEffect(() => {
    const token = readSession()?.token;
    if (!token) return;
    fetch(ADMIN_ORGS_PATH, { headers: { accept: "application/json", authorization: `Bearer ${token}` }, credentials: "omit", cache: "no-store" })
      .then(async (res) => {
        const parsed = AdminOrgs.safeParse(await res.json().catch(() => undefined));
        if (!res.ok || !parsed.success) throw new Error(`the service answered ${res.status} to ${ADMIN_ORGS_PATH}; this version may not have platform admins yet`);
        setOrgs(parsed.data.items);
      })
      .catch((err: unknown) => setError(`The org list could not be read: ${err instanceof Error ? err.message : String(err)}.`));
  }, []);

  const pick = async (slug: string) => {
    const session = readSession();
    if (!session || picking) return;
    setPicking(slug);
    writeSession({ token: session.token, org: slug });
    try {
      onSignedIn(await call("whoami"));
    } catch (err) {
      writeSession({ token: session.token, org: "" });
      setError(messageOf(err));
      setPicking(undefined);
    }
  };

  return (
    <main className="sign-in">
      <h1>Pick an org</h1>
      <p className="note">You signed in as a platform admin: choose the org to manage.</p>
      <ErrorText>{error}</ErrorText>
      {!orgs && !error && <p>Loading orgs…</p>}
      <ul className="org-list">
        {orgs?.map((o) => (
          <li key={o.slug}>
            <button type="button" onClick={() => void pick(o.slug)} disabled={picking !== undefined}>
              {o.name ? `${o.name} (${o.slug})` : o.slug}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onCancel}>
        Back
      </button>
    </main>
  );
}
