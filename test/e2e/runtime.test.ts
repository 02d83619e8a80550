import fs from "node:fs";
import path from "node:path";
import { AutomationStack } from "../helpers/automation";
import { REPO_ROOT } from "../helpers/service";

// The pairing scripts/runtime.js installs for this Node (the lockfile's on Node >= 22, 3.248.0 on Node 20).
const { wanted } = require(path.join(REPO_ROOT, "scripts/runtime.js")) as { wanted: () => Record<string, string> };

const installedSdk: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;

/** a >= b for plain x.y.z versions, compared as numbers. */
function atLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.replace(/^v/, "").split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

describe("the runtime a Pulumi program gets through the engine", () => {
  let project: AutomationStack;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    project = await AutomationStack.create({ programDir: path.join(__dirname, "programs/runtime"), env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    await project.up();
    outputs = await project.outputs();
  }, 120_000);

  afterAll(() => project?.cleanup());

  it("runs the program on the Node that runs the tests", () => {
    expect(outputs.programNode).toBe(process.version);
  });

  it("runs the dynamic provider on the Node that runs the tests", () => {
    expect(outputs.providerNode).toBe(process.version);
  });

  it("runs the program with the SDK paired with this Node", () => {
    expect(installedSdk).toBe(wanted()["@pulumi/pulumi"]);
    expect(outputs.programSdk).toBe(installedSdk);
  });

  it("drives it with a CLI at least as new as the SDK", () => {
    // The version the Automation API read from `pulumi version` (it refuses a CLI whose version it cannot read).
    const cli = project.stack.workspace.pulumiVersion;
    expect(cli).toMatch(/^\d+\.\d+\.\d+/);
    expect({ cli, sdk: installedSdk, cliAtLeastSdk: atLeast(cli, installedSdk) }).toEqual({ cli, sdk: installedSdk, cliAtLeastSdk: true });
  });
});
