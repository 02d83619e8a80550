import { routes } from "@keyservice/sdk";
import { deleteDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.deleteDeployment, async ({ org, caller, params, write }) => write((tx) => deleteDeployment(tx, org.id, caller, params.id)));
