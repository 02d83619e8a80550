import { routes } from "@keyservice/sdk";
import { listDeploymentKeys } from "../../../domain/deployment-keys";
import { defineRoute } from "../../define";

export default defineRoute(routes.listDeploymentKeys, async ({ db, org, params, query }) => listDeploymentKeys(db, org.id, params.id, query.limit, query.cursor));
