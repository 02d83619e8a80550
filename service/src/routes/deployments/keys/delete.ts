import { routes } from "@keyservice/sdk";
import { deleteDeploymentKey } from "../../../domain/deployment-keys";
import { defineRoute } from "../../define";

export default defineRoute(routes.deleteDeploymentKey, async ({ org, caller, params, write }) =>
  write((tx) => deleteDeploymentKey(tx, org.id, caller, params.id, params.keyId)),
);
