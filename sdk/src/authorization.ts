import type { RouteName } from "./routes";

/** Every kind of caller the authorization matrix tries on every route. */
export const CALLER_CLASSES = [
  "orgAdmin",
  "member",
  "read",
  "readWrite",
  "fullAccess",
  "impersonation",
  "deploymentKey",
  "globalKey",
  "platformAdmin",
  "otherOrgAdmin",
  "otherOrgFullAccess",
  "expiredKey",
  "inactiveKey",
  "rotatedOutKey",
  "noToken",
  "badChecksum",
  "badPrefix",
] as const;

export type CallerClass = (typeof CALLER_CLASSES)[number];

/** Callers that hold no working credential at all: 401 wherever a credential is needed. */
export const WITHOUT_CREDENTIAL: readonly CallerClass[] = ["expiredKey", "inactiveKey", "rotatedOutKey", "noToken", "badChecksum", "badPrefix"];

/** Who may call a route; every other caller is refused (401 without a working credential of the right kind, else 403). */
export interface AuthorizationRow {
  allow: readonly CallerClass[];
}

const EVERYONE = CALLER_CLASSES;
const READERS: CallerClass[] = ["orgAdmin", "member", "read", "readWrite", "fullAccess", "impersonation"];
/** Creates and narrowing updates (POST, PATCH) that mint no secret. */
const WRITERS: CallerClass[] = ["orgAdmin", "readWrite", "fullAccess", "impersonation"];
/** Deletes, and whatever mints or reveals a secret. */
const ADMINS_AND_FULL: CallerClass[] = ["orgAdmin", "fullAccess", "impersonation"];
/** People manage people: org admins only (an impersonation too, except where it would make or re-key a person). */
const ORG_ADMINS: CallerClass[] = ["orgAdmin", "impersonation"];
const PLATFORM_ADMIN: CallerClass[] = ["platformAdmin"];
const KEYS_OF_THE_DEPLOYMENT: CallerClass[] = ["deploymentKey", "globalKey"];

/**
 * The authorization policy, written as a table beside the route table: a route cannot be added
 * without its row (the type says so). The tests try every caller on every route against it; the
 * service decides by access rules and tiers of its own, so the two are checked one against the other.
 */
export const authorization = {
  health: { allow: EVERYONE },
  ready: { allow: EVERYONE },
  openapi: { allow: EVERYONE },
  whoami: { allow: READERS },

  createMember: { allow: ["orgAdmin"] },
  listMembers: { allow: READERS },
  getMember: { allow: READERS },
  updateMember: { allow: ORG_ADMINS },
  deleteMember: { allow: ORG_ADMINS },
  rotateMemberToken: { allow: ["orgAdmin"] },

  createDeployment: { allow: WRITERS },
  listDeployments: { allow: READERS },
  getDeployment: { allow: READERS },
  updateDeployment: { allow: WRITERS },
  deleteDeployment: { allow: ADMINS_AND_FULL },
  executeDeployment: { allow: KEYS_OF_THE_DEPLOYMENT },

  createDeploymentKey: { allow: ADMINS_AND_FULL },
  listDeploymentKeys: { allow: READERS },
  deleteDeploymentKey: { allow: ADMINS_AND_FULL },

  createGlobalApiKey: { allow: ADMINS_AND_FULL },
  listGlobalApiKeys: { allow: READERS },
  getGlobalApiKey: { allow: READERS },
  updateGlobalApiKey: { allow: WRITERS },
  deleteGlobalApiKey: { allow: ADMINS_AND_FULL },
  rotateGlobalApiKey: { allow: ADMINS_AND_FULL },

  createPlatformApiKey: { allow: ADMINS_AND_FULL },
  listPlatformApiKeys: { allow: READERS },
  getPlatformApiKey: { allow: READERS },
  updatePlatformApiKey: { allow: WRITERS },
  deletePlatformApiKey: { allow: ADMINS_AND_FULL },
  rotatePlatformApiKey: { allow: ADMINS_AND_FULL },

  verifyKey: { allow: ADMINS_AND_FULL },
  listAuditEvents: { allow: ADMINS_AND_FULL },

  createLlmKey: { allow: ADMINS_AND_FULL },
  listLlmKeys: { allow: READERS },
  getLlmKey: { allow: READERS },
  updateLlmKey: { allow: ADMINS_AND_FULL },
  deleteLlmKey: { allow: ADMINS_AND_FULL },
  verifyLlmKey: { allow: ADMINS_AND_FULL },

  createOrg: { allow: PLATFORM_ADMIN },
  listOrgs: { allow: PLATFORM_ADMIN },
  getOrg: { allow: PLATFORM_ADMIN },
  updateOrg: { allow: PLATFORM_ADMIN },
  deleteOrg: { allow: PLATFORM_ADMIN },
  listUsers: { allow: PLATFORM_ADMIN },
  impersonate: { allow: PLATFORM_ADMIN },
  stopImpersonation: { allow: PLATFORM_ADMIN },
} satisfies Record<RouteName, AuthorizationRow>;
