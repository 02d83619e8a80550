import { routes } from "@keyservice/sdk";
import { createDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.createDeployment, async ({ org, caller, body, write }) => write((tx) => createDeployment(tx, org.id, caller, body)));
