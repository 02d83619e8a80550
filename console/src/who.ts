import { createContext, useContext } from "react";
import { mayCall } from "@keyservice/sdk/src/access";
import type { RouteName } from "@keyservice/sdk/src/routes";
import type { Whoami } from "@keyservice/sdk/src/schemas/whoami";

/** Who is signed in (never the token: that stays in sessionStorage). */
export const WhoContext = createContext<Whoami | null>(null);

export function useWho(): Whoami {
  const who = useContext(WhoContext);
  if (!who) throw new Error("useWho() is used outside a signed-in console.");
  return who;
}

/** Whether the signed-in caller may call a route: what it may not do is not offered. */
export function useCan(): (route: RouteName) => boolean {
  const who = useWho();
  return (route) => mayCall(who, route);
}

/** How the caller is named in the header. */
export function describeWho(who: Whoami): string {
  if (who.kind === "impersonation") return "platform admin acting as org admin";
  return who.kind === "user" ? `${who.role === "admin" ? "org admin" : "member"}` : `${who.permission} platform key`;
}
