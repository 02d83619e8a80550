import fs from "node:fs";
import path from "node:path";
import { serializedProvider } from "@keyservice/pulumi";

// How the engine's dynamic-provider host loads `__provider` (@pulumi/pulumi/cmd/dynamic-provider): a module from a string, then `handler()`.
const requireFromString: (code: string) => { handler(): Record<string, unknown> } = require(require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));

const KINDS = ["GlobalApiKey", "PlatformApiKey", "LlmKey", "Deployment", "Member"] as const;
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

describe("the serialized provider", () => {
  const secrets = { KEYSERVICE_ENDPOINT: "http://127.0.0.1:59999", KEYSERVICE_ORG: "serialization-org", KEYSERVICE_TOKEN: `ks_usr_${"Canary".repeat(7)}0` };
  const saved = { ...process.env };

  beforeAll(() => Object.assign(process.env, secrets));
  afterAll(() => {
    process.env = saved;
  });

  it.each(KINDS)("for %s holds only the resource kind and a require of the runtime", (kind) => {
    const text = serializedProvider(kind);
    expect(text.length).toBeLessThan(200);
    expect(text).toContain(`runtime.provider("${kind}")`);
    // The only module it loads is the runtime, by package name, and it calls only what every version of the runtime exports.
    expect(text.match(/require\("[^"]+"\)/g)).toEqual(['require("@keyservice/pulumi/runtime")']);
    expect(new Set(text.match(/runtime\.\w+/g))).toEqual(new Set(["runtime.provider", "runtime.configure"]));
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
  });

  it.each(KINDS)("for %s loads, as the engine loads it, a provider with every method", (kind) => {
    const provider = requireFromString(serializedProvider(kind)).handler();
    for (const method of METHODS) expect(typeof provider[method]).toBe("function");
  });

  it("runs the provider's own methods: a check of bad inputs fails on the property", async () => {
    const provider = requireFromString(serializedProvider("GlobalApiKey")).handler() as { check(olds: object, news: object): Promise<unknown> };
    await expect(provider.check({}, { name: "", allowAllDeployments: true })).resolves.toEqual({ failures: [{ property: "name", reason: 'name "" must not be empty.' }] });
  });

  // The engine keeps a resource's provider text until the resource is updated: state written by
  // earlier versions (Pulumi's closure serializer made their text) is served by this runtime.
  it("still serves the text earlier versions wrote into state", async () => {
    const text = fs.readFileSync(path.join(__dirname, "fixtures/closure-serialized-global-api-key.txt"), "utf8");
    const provider = requireFromString(text).handler() as Record<string, unknown> & { check(olds: object, news: object): Promise<unknown> };
    for (const method of METHODS) expect(typeof provider[method]).toBe("function");
    await expect(provider.check({}, { name: "", allowAllDeployments: true })).resolves.toEqual({ failures: [{ property: "name", reason: 'name "" must not be empty.' }] });
  });
});
