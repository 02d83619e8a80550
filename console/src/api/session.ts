/** Who is signed in: the token lives in sessionStorage only (never a URL, a cookie or localStorage). */
export interface Session {
  token: string;
  /** The org every call is made in; empty while a platform admin has not picked one. */
  org: string;
}

const KEY = "keyservice.console.session";

export function readSession(): Session | undefined {
  const text = sessionStorage.getItem(KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Session>;
    return typeof value.token === "string" && typeof value.org === "string" ? { token: value.token, org: value.org } : undefined;
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
