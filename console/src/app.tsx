import { type ReactNode, useEffect, useRef, useState } from "react";
import { mayCall } from "@keyservice/sdk/src/access";
import { routes } from "@keyservice/sdk/src/routes";
import type { Whoami } from "@keyservice/sdk/src/schemas/whoami";
import { call, onUnauthorized } from "./api/caller";
import { clearSession, readSession } from "./api/session";
import { AuditView } from "./views/audit";
import { DeploymentsView } from "./views/deployments";
import { GlobalKeysView } from "./views/global-keys";
import { LlmKeysView } from "./views/llm-keys";
import { PlatformKeysView } from "./views/platform-keys";
import { SignIn } from "./views/sign-in";
import { describeWho, WhoContext } from "./who";

interface View {
  id: string;
  title: string;
  render: () => ReactNode;
  /** Shown only to callers the route lets in. */
  visible: (who: Whoami) => boolean;
}

const VIEWS: View[] = [
  { id: "deployments", title: "Deployments", render: () => <DeploymentsView />, visible: () => true },
  { id: "global-api-keys", title: "Global API keys", render: () => <GlobalKeysView />, visible: () => true },
  { id: "platform-api-keys", title: "Platform API keys", render: () => <PlatformKeysView />, visible: () => true },
  { id: "llm-keys", title: "LLM keys", render: () => <LlmKeysView />, visible: () => true },
  { id: "audit-events", title: "Audit events", render: () => <AuditView />, visible: (who) => mayCall(who, "listAuditEvents") },
];

/** The view named by the URL's fragment (`#/global-api-keys`): the only state a URL carries. */
function useHashView(): string {
  const read = () => window.location.hash.replace(/^#\/?/, "");
  const [id, setId] = useState(read);
  useEffect(() => {
    const onChange = () => setId(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return id;
}

export function App() {
  const [who, setWho] = useState<Whoami | null>(null);
  const [restoring, setRestoring] = useState(() => Boolean(readSession()?.org));
  const [notice, setNotice] = useState<string>();
  const hashView = useHashView();
  const signedIn = useRef(false);
  signedIn.current = who !== null;

  // A reload keeps the tab's session: ask the service who the stored token is.
  useEffect(() => {
    if (!restoring) return;
    call("whoami")
      .then(setWho)
      .catch(() => clearSession())
      .finally(() => setRestoring(false));
  }, [restoring]);

  useEffect(
    () =>
      onUnauthorized(() => {
        clearSession();
        if (signedIn.current) setNotice("The service no longer accepts this token (revoked, expired or deactivated): sign in again.");
        setWho(null);
      }),
    [],
  );

  if (restoring) return <p className="loading">Loading…</p>;
  if (!who) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(w) => {
          setNotice(undefined);
          setWho(w);
        }}
      />
    );
  }

  const views = VIEWS.filter((v) => v.visible(who));
  const view = views.find((v) => v.id === hashView) ?? views[0];
  const signOut = async () => {
    // A platform admin's impersonation ends with the session, not an hour later.
    const admin = readSession()?.admin;
    if (admin) await call("stopImpersonation", { body: { id: admin.impersonationId }, token: admin.token }).catch(() => {});
    clearSession();
    setWho(null);
    setNotice("Signed out: this tab no longer holds the token.");
    window.location.hash = "";
  };

  return (
    <WhoContext.Provider value={who}>
      <header className="top">
        <span className="brand">keyservice</span>
        <span className="who" data-testid="who">
          org <strong>{who.org}</strong> · {describeWho(who)}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav className="tabs" aria-label="Views">
        {views.map((v) => (
          <a key={v.id} href={`#/${v.id}`} aria-current={v === view ? "page" : undefined}>
            {v.title}
          </a>
        ))}
      </nav>
      <main key={`${who.org}/${view.id}`}>{view.render()}</main>
    </WhoContext.Provider>
  );
}
