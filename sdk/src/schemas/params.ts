import { z } from "zod";
import { Id, Name, OrgSlug } from "./common";

/** The schema of every path parameter the routes use, by name: `{org}` is a slug, `{id}` an id, and so on. */
export const PATH_PARAMS = {
  org: OrgSlug,
  slug: OrgSlug,
  id: Id,
  keyId: Id,
  name: Name,
} as const;

export type PathParamName = keyof typeof PATH_PARAMS;

/** The names of a path template's parameters, in order (`/orgs/{org}/keys/{id}` → org, id). */
export function pathParamNames(path: string): PathParamName[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => {
    if (!(m[1] in PATH_PARAMS)) throw new Error(`The path ${path} has a parameter {${m[1]}} with no schema in PATH_PARAMS.`);
    return m[1] as PathParamName;
  });
}

/** The schema of a route's path parameters, or undefined for a path without any. */
export function pathParams(path: string): z.ZodObject | undefined {
  const names = pathParamNames(path);
  return names.length === 0 ? undefined : z.strictObject(Object.fromEntries(names.map((n) => [n, PATH_PARAMS[n]])));
}
