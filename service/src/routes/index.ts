import type { FastifyInstance } from "fastify";
import auditEventsList from "./audit-events/list";
import type { RouteModule } from "./define";
import deploymentsCreate from "./deployments/create";
import deploymentsDelete from "./deployments/delete";
import deploymentsExecute from "./deployments/execute";
import deploymentsGet from "./deployments/get";
import deploymentKeysCreate from "./deployments/keys/create";
import deploymentKeysDelete from "./deployments/keys/delete";
import deploymentKeysList from "./deployments/keys/list";
import deploymentsList from "./deployments/list";
import deploymentsUpdate from "./deployments/update";
import globalCreate from "./global-api-keys/create";
import globalDelete from "./global-api-keys/delete";
import globalGet from "./global-api-keys/get";
import globalList from "./global-api-keys/list";
import globalRotate from "./global-api-keys/rotate";
import globalUpdate from "./global-api-keys/update";
import healthz from "./healthz";
import openapi from "./openapi";
import readyz from "./readyz";
import keysVerify from "./keys/verify";
import { llmKeyRoutes } from "./llm-keys";
import membersCreate from "./members/create";
import membersDelete from "./members/delete";
import membersGet from "./members/get";
import membersList from "./members/list";
import membersRotateToken from "./members/rotate-token";
import membersUpdate from "./members/update";
import { adminRoutes } from "./admin";
import platformCreate from "./platform-api-keys/create";
import platformDelete from "./platform-api-keys/delete";
import platformGet from "./platform-api-keys/get";
import platformList from "./platform-api-keys/list";
import platformRotate from "./platform-api-keys/rotate";
import platformUpdate from "./platform-api-keys/update";
import whoamiGet from "./whoami/get";

const all: RouteModule[] = [
  healthz,
  readyz,
  openapi,
  membersCreate,
  membersList,
  membersGet,
  membersUpdate,
  membersDelete,
  membersRotateToken,
  deploymentsCreate,
  deploymentsList,
  deploymentsGet,
  deploymentsUpdate,
  deploymentsDelete,
  deploymentsExecute,
  deploymentKeysCreate,
  deploymentKeysList,
  deploymentKeysDelete,
  globalCreate,
  globalList,
  globalGet,
  globalUpdate,
  globalDelete,
  globalRotate,
  platformCreate,
  platformList,
  platformGet,
  platformUpdate,
  platformDelete,
  platformRotate,
  keysVerify,
  auditEventsList,
  ...llmKeyRoutes,
  ...adminRoutes,
  whoamiGet,
];

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  for (const register of all) register(app);
}
