import { routes } from "@keyservice/sdk";
import { listApiKeys } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.listGlobalApiKeys, async ({ db, org, query }) => listApiKeys(db, org.id, "global", query.limit, query.cursor));
