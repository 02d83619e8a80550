import { ApiError } from "@keyservice/sdk";
import { type SelectQueryBuilder, sql } from "kysely";
import type { Db } from "../db/writer";
import { mapPage, type Page, paginate } from "./pagination";

/**
 * What every org-owned resource of the API does with its rows: find one by id (a 404 naming it
 * otherwise: another org's id is not found either), show it as the API does, list a page of them
 * in creation order, and say that a name is taken. `rows` selects the org's rows of one table.
 */
export function inOrg<DB, TB extends keyof DB, O extends { id: string }, U>(rows: (db: Db, orgId: string) => SelectQueryBuilder<DB, TB, O>, what: string, show: (row: O) => U) {
  const find = async (db: Db, orgId: string, id: string): Promise<O> => {
    const row: O | undefined = (await rows(db, orgId).where(sql<boolean>`${sql.ref("id")} = ${id}`).execute())[0];
    if (!row) throw new ApiError("not_found", `There is no ${what} with id "${id}" in this org.`);
    return row;
  };
  return {
    find,
    get: async (db: Db, orgId: string, id: string): Promise<U> => show(await find(db, orgId, id)),
    list: async (db: Db, orgId: string, limit: number, cursor?: string): Promise<Page<U>> => mapPage(await paginate(rows(db, orgId), { limit, cursor }), show),
    /** The 409 message for a name unique in the org. */
    nameTaken: (name: string | undefined): string => `A ${what} named "${name}" already exists in this org.`,
  };
}
