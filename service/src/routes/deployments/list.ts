import { routes } from "@keyservice/sdk";
import { listDeployments } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.listDeployments, async ({ db, org, query }) => listDeployments(db, org.id, query.limit, query.cursor));
