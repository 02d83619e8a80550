import { routes } from "@keyservice/sdk";
import { listApiKeys } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.listPlatformApiKeys, async ({ db, org, query }) => listApiKeys(db, org.id, "platform", query.limit, query.cursor));
