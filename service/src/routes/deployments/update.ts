import { routes } from "@keyservice/sdk";
import { updateDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.updateDeployment, async ({ org, caller, params, body, write }) => write((tx) => updateDeployment(tx, org.id, caller, params.id, body)));
