import { routes } from "@keyservice/sdk";
import { createDeploymentKey } from "../../../domain/deployment-keys";
import { defineRoute } from "../../define";

export default defineRoute(routes.createDeploymentKey, async ({ org, caller, params, body, write }) =>
  write((tx) => createDeploymentKey(tx, org.id, caller, params.id, body)),
);
