import { routes } from "@keyservice/sdk";
import { getDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.getDeployment, async ({ db, org, params }) => getDeployment(db, org.id, params.id));
