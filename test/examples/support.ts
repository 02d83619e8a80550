import path from "node:path";
import { REPO_ROOT } from "../helpers/service";

/** The folder of an example program, as a user would find it. */
export function exampleDir(name: string): string {
  return path.join(REPO_ROOT, "examples", name);
}

/** The names of a page of items, sorted, for comparing what exists with what should. */
export function namesOf(page: { items: { name: string }[] }): string[] {
  return page.items.map((i) => i.name).sort();
}
