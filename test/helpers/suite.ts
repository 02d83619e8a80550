import { newOrg, type TestOrg } from "./org";
import { SecretLedger } from "./secrets";
import { startTestService, type TestService, type TestServiceOptions } from "./service";

/** What a test file shares: one service, one bootstrapped org, and the ledger of every secret seen. */
export interface SuiteContext {
  readonly ledger: SecretLedger;
  readonly svc: TestService;
  readonly org: TestOrg;
}

/**
 * Starts a service over a fresh database of the jest project's store and bootstraps an org before
 * the file's tests (beforeAll), and closes it after them (afterAll). Call it at the top of a file.
 */
export function serviceSuite(options: TestServiceOptions = {}): SuiteContext {
  const ledger = new SecretLedger();
  let svc: TestService | undefined;
  let org: TestOrg | undefined;
  beforeAll(async () => {
    svc = await startTestService(options);
    org = await newOrg(svc, ledger);
  });
  afterAll(async () => {
    await svc?.close();
  });
  // Read at module level (or after a failed start) these would be undefined: say so instead.
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`serviceSuite().${name} is set by its beforeAll: use it inside a test or a hook, not while the file loads.`);
    return value;
  };
  return {
    ledger,
    get svc() {
      return ready(svc, "svc");
    },
    get org() {
      return ready(org, "org");
    },
  };
}
