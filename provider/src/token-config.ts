import * as pulumi from "@pulumi/pulumi";

const TOKEN_KEY = "keyservice:token";

/** `isConfigSecret` is exported by `@pulumi/pulumi`'s runtime (JavaScript) but marked internal in its typings. */
type RuntimeWithSecretKeys = typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };

let verdict: Error | "ok" | undefined;

/**
 * Refuses to run a program whose `keyservice:token` was set without `--secret`: the engine keeps
 * the stack's whole config as the default provider's inputs in state (and in each update's
 * history), in plain text unless the value is a secret. Decided once per program.
 */
export function requireSecretToken(): void {
  verdict ??= judgeToken();
  if (verdict instanceof Error) throw verdict;
}

function judgeToken(): Error | "ok" {
  if (pulumi.runtime.getConfig(TOKEN_KEY) === undefined) return "ok";
  const isConfigSecret = (pulumi.runtime as RuntimeWithSecretKeys).isConfigSecret;
  if (typeof isConfigSecret !== "function") {
    pulumi.log.warn(`@keyservice/pulumi cannot tell whether ${TOKEN_KEY} is a secret with this version of @pulumi/pulumi; make sure it was set with \`pulumi config set --secret ${TOKEN_KEY} <token>\`.`);
    return "ok";
  }
  if (isConfigSecret(TOKEN_KEY)) return "ok";
  return new pulumi.RunError(
    `${TOKEN_KEY} is set in plain text, so the engine would store it unencrypted in the stack's state and history. ` +
      `Set it as a secret: \`pulumi config set --secret ${TOKEN_KEY} <token>\` (or remove it with \`pulumi config rm ${TOKEN_KEY}\` and set KEYSERVICE_TOKEN), ` +
      "and rotate the token if this stack's files were shared.",
  );
}
