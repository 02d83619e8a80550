import type { RouteModule } from "../define";
import impersonate from "./impersonate";
import orgsCreate from "./orgs/create";
import orgsDelete from "./orgs/delete";
import orgsGet from "./orgs/get";
import orgsList from "./orgs/list";
import orgsUpdate from "./orgs/update";
import stopImpersonation from "./stop-impersonation";
import usersList from "./users/list";

/** The platform admin's routes, under /api/v1/admin. */
export const adminRoutes: RouteModule[] = [orgsCreate, orgsList, orgsGet, orgsUpdate, orgsDelete, usersList, impersonate, stopImpersonation];
