import { routes } from "@keyservice/sdk";
import { findDeployment, toDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.getDeployment, async ({ app, org, params }) => toDeployment(await findDeployment(app.store, org.id, params.id)));
