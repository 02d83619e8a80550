import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "@keyservice/pulumi";

describe("the serialized provider", () => {
  const secrets = { KEYSERVICE_ENDPOINT: "http://127.0.0.1:59999", KEYSERVICE_ORG: "serialization-org", KEYSERVICE_TOKEN: `ks_usr_${"Canary".repeat(7)}0` };
  const saved = { ...process.env };

  beforeAll(() => Object.assign(process.env, secrets));
  afterAll(() => {
    process.env = saved;
  });

  it.each(["GlobalApiKey", "PlatformApiKey", "LlmKey", "Deployment", "Member"] as const)("for %s holds only the resource kind and a require of the runtime", async (kind) => {
    const provider = serializedProvider(kind);
    const { text } = await pulumi.runtime.serializeFunction(() => provider);
    expect(text.length).toBeLessThan(4096);
    expect(text).toContain('require("@keyservice/pulumi/runtime")');
    expect(text).toContain(`kind: "${kind}"`);
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    // No module is captured by value: the only requires are of the runtime entry point.
    expect(text.match(/require\("[^"]+"\)/g)!.every((r) => r === 'require("@keyservice/pulumi/runtime")')).toBe(true);
  });

  // @pulumi/pulumi caches the serialized text by provider object: one object per kind means a
  // program of a hundred keys runs the closure serializer once, not a hundred times.
  it("is one object per kind, made once", () => {
    expect(serializedProvider("GlobalApiKey")).toBe(serializedProvider("GlobalApiKey"));
    expect(serializedProvider("GlobalApiKey")).not.toBe(serializedProvider("PlatformApiKey"));
  });
});
