import { randomBytes } from "node:crypto";
import path from "node:path";
import type { KeyserviceClient } from "@keyservice/sdk";
import { AutomationStack } from "../helpers/automation";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { statusOf } from "../helpers/wait";

/** The config-driven program most end-to-end files run: a deployment, a global, a platform and an LLM key. */
export const KEYS_PROGRAM = path.join(__dirname, "programs/keys");

/** A config-driven program with one Member (an automation user) and its token. */
export const MEMBERS_PROGRAM = path.join(__dirname, "programs/members");

/** A live service, an org with an admin, and a stack of the keys program pointed at them. */
export interface KeysStack {
  svc: TestService;
  org: string;
  adminToken: string;
  /** The org admin's client, for checking what the stack did (and for changing things behind its back). */
  admin: KeyserviceClient;
  /** The stack, driven through the Automation API. */
  project: AutomationStack;
  /** Every secret the test saw: the admin token, the LLM key, every issued key. */
  ledger: SecretLedger;
  /** The LLM key the stack stores (secret config `llmApiKey`). */
  llmApiKey: string;
}

/** Starts a service, bootstraps `org` and creates a stack of the keys program (or `programDir`); `config` adds program config. */
export async function startKeysStack(org: string, config: Record<string, string> = {}, programDir = KEYS_PROGRAM): Promise<KeysStack> {
  const svc = await startTestService();
  try {
    const ledger = new SecretLedger();
    const { adminToken } = await svc.bootstrap(org);
    ledger.add(adminToken);
    const llmApiKey = ledger.add(`sk-e2e-${randomBytes(16).toString("hex")}`);
    const project = await AutomationStack.create({
      programDir,
      config: { "keyservice:endpoint": svc.url, "keyservice:org": org, ...config },
      secrets: { "keyservice:token": adminToken, llmApiKey },
      // These tests are about behaviour, not the fixture's types (`tsc -p test/tsconfig.json` checks those): about a second saved per command.
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    return { svc, org, adminToken, admin: svc.client(adminToken, org), project, ledger, llmApiKey };
  } catch (err) {
    await svc.close();
    throw err;
  }
}

/** Removes the working copy, the backend, and the service with its database. */
export async function stopKeysStack(stack: KeysStack | undefined): Promise<void> {
  if (!stack) return;
  stack.project.cleanup();
  // The service made its database, so closing it drops that database too.
  await stack.svc.close();
}

/** The stack outputs in plaintext; every issued key among them goes into the ledger. */
export async function revealOutputs(stack: KeysStack): Promise<Record<string, any>> {
  const outs = await stack.project.outputs();
  stack.ledger.add(outs.globalKey);
  stack.ledger.add(outs.platformKey);
  return outs;
}

/** The HTTP status of running the stack's deployment with `key` as the bearer. */
export function executeStatus(stack: KeysStack, deploymentName: string, key: string): Promise<number> {
  return statusOf(stack.admin.deployments.execute(deploymentName, key));
}

/** How many requests the service has answered so far (it logs one "request" line for each; the tests run at debug level). */
export function requestCount(svc: TestService): number {
  return Object.values(requestsByRoute(svc)).reduce((sum, n) => sum + n, 0);
}

/** The requests the service has answered so far, by method and route pattern (e.g. "POST /api/v1/orgs/:org/global-api-keys"). */
export function requestsByRoute(svc: TestService): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of svc.logs().split("\n")) {
    if (!line.includes('"msg":"request"')) continue;
    const { method, route } = JSON.parse(line) as { method: string; route: string };
    counts[`${method} ${route}`] = (counts[`${method} ${route}`] ?? 0) + 1;
  }
  return counts;
}

/** The requests the service answered while `work` ran, by method and route pattern. */
export async function requestsDuring(svc: TestService, work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = requestsByRoute(svc);
  await work();
  const after = requestsByRoute(svc);
  return Object.fromEntries(Object.entries(after).flatMap(([route, n]) => (n > (before[route] ?? 0) ? [[route, n - (before[route] ?? 0)]] : [])));
}
