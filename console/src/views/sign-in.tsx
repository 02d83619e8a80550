import { useState } from "react";
import { OrgSlug } from "@keyservice/sdk/src/schemas/common";
import type { Whoami } from "@keyservice/sdk/src/schemas/whoami";
import { call, ConsoleApiError } from "../api/caller";
import { clearSession, isPlatformAdminToken, writeSession } from "../api/session";
import { ErrorText } from "../components/errors";
import { OrgPicker } from "../components/org-picker";
import { useSubmit } from "../hooks/use-submit";

/** Sign in with a member token, an org admin's token or a platform key; a platform admin picks an org. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (who: Whoami) => void; notice?: string }) {
  const [org, setOrg] = useState("");
  const [token, setToken] = useState("");
  const [picking, setPicking] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ org?: string; token?: string }>({});

  const { pending, errors, submit } = useSubmit([], async () => {
    setFieldErrors({});
    const entered = token.trim();
    if (!entered) return setFieldErrors({ token: "Paste a token: ks_usr_… (member or org admin), ks_pak_… (platform key) or ks_adm_… (platform admin)." });
    if (isPlatformAdminToken(entered)) {
      writeSession({ token: entered, org: "" });
      setToken("");
      setPicking(true);
      return;
    }
    const slug = OrgSlug.safeParse(org.trim());
    if (!slug.success) return setFieldErrors({ org: `The org ${slug.error.issues[0].message}.` });
    writeSession({ token: entered, org: slug.data });
    setToken("");
    try {
      onSignedIn(await call("whoami"));
    } catch (err) {
      clearSession();
      if (err instanceof ConsoleApiError && err.status === 401) {
        return setFieldErrors({ token: `The service does not accept this token in org “${slug.data}”: it is mistyped, revoked, expired, or of another org.` });
      }
      if (err instanceof ConsoleApiError && err.status === 403) return setFieldErrors({ org: err.message });
      throw err;
    }
  });

  if (picking) {
    return (
      <OrgPicker
        onSignedIn={onSignedIn}
        onCancel={() => {
          clearSession();
          setPicking(false);
        }}
      />
    );
  }

  return (
    <main className="sign-in">
      <h1>keyservice console</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {/* No action, no method: the token is never sent as a form, so never in a URL. */}
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <label htmlFor="org">Org</label>
        <input id="org" name="org" value={org} onChange={(e) => setOrg(e.target.value)} autoComplete="organization" placeholder="e.g. acme" aria-describedby="org-error" />
        <ErrorText id="org-error">{fieldErrors.org}</ErrorText>
        <label htmlFor="token">Token</label>
        <input id="token" name="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="token-error" />
        <ErrorText id="token-error">{fieldErrors.token}</ErrorText>
        <ErrorText>{errors.form}</ErrorText>
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
        <p className="note">The token is kept in this tab's session storage only, and forgotten when you sign out or close the tab.</p>
      </form>
    </main>
  );
}
