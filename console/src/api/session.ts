/** Who is signed in: the token lives in sessionStorage only (never a URL, a cookie or localStorage). */
export interface Session {
  token: string;
  /** The org every call is made in; empty while a platform admin has not picked one. */
  org: string;
  /** A platform admin acting in an org: its own token, kept to stop the impersonation on sign-out. */
  admin?: { token: string; impersonationId: string };
}

const KEY = "keyservice.console.session";

export function readSession(): Session | undefined {
  const text = sessionStorage.getItem(KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Session>;
    if (typeof value.token !== "string" || typeof value.org !== "string") return undefined;
    const admin = value.admin && typeof value.admin.token === "string" && typeof value.admin.impersonationId === "string" ? value.admin : undefined;
    return { token: value.token, org: value.org, ...(admin ? { admin } : {}) };
  } catch {
    return undefined;
  }
}

export function writeSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** Sign out: forgets the token. */
export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** Platform-admin tokens act across orgs: they pick an org first. */
export function isPlatformAdminToken(token: string): boolean {
  return token.startsWith("ks_adm_");
}
