import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.join(__dirname, "..", "..");

describe("npm run docs", () => {
  it("builds the provider's API reference with TypeDoc, warnings treated as errors (an exported type that is not documented fails)", () => {
    const out = mkdtempSync(path.join(tmpdir(), "keyservice-docs-"));
    try {
      const typedoc = path.join(path.dirname(require.resolve("typedoc/package.json")), "bin", "typedoc");
      const run = spawnSync(process.execPath, [typedoc, "--options", "provider/typedoc.json", "--out", out], { cwd: root, encoding: "utf8", timeout: 120_000 });
      expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({ status: 0, output: expect.not.stringMatching(/warning|error/i) });
      for (const page of ["index.html", "classes/GlobalApiKey.html", "classes/Member.html", "interfaces/LlmKeyArgs.html"]) expect(existsSync(path.join(out, page))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
