import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, tempDir } from "../helpers/service";

// Which CLI `npm run engine` (scripts/engine.sh) chooses, with stand-in `pulumi` scripts on PATH and
// a cache of the test's own: nothing is built (KEYSERVICE_ENGINE_NO_BUILD) and nothing is fetched.
const ENGINE = path.join(REPO_ROOT, "scripts/engine.sh");
const SDK: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
const PINNED = /^ENGINE_VERSION=(v\S+)/m.exec(fs.readFileSync(ENGINE, "utf8"))![1];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A folder with a stand-in `pulumi` printing `version`, and a language host beside it unless told otherwise. */
function fakePulumi(version: string, { languageHost = true } = {}): string {
  const dir = tempDir("keyservice-fake-pulumi-");
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`, { mode: 0o755 });
  if (languageHost) fs.writeFileSync(path.join(dir, "pulumi-language-nodejs"), "#!/bin/sh\n# stand-in\n", { mode: 0o755 });
  return dir;
}

function runEngine(pathDirs: string[], cache = tempDir("keyservice-engine-cache-")) {
  dirs.push(cache);
  // No Go on PATH either: a build, if the script tried one, would fail at once.
  const PATH = [...pathDirs, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
  const r = spawnSync("bash", [ENGINE], { encoding: "utf8", env: { ...process.env, PATH, KEYSERVICE_ENGINE_CACHE: cache, KEYSERVICE_ENGINE_NO_BUILD: "1", KEYSERVICE_ENGINE_QUIET: "" } });
  return { code: r.status, bin: r.stdout.trim().split("\n").pop(), stderr: r.stderr, cache };
}

describe("npm run engine: which pulumi CLI it uses", () => {
  it("uses a pulumi on PATH newer than the SDK, compared as numbers, and says so", () => {
    const fake = fakePulumi("v3.1000.0"); // older than 3.259.0 if compared as text
    const r = runEngine([fake]);
    expect(r.code).toBe(0);
    expect(r.bin).toBe(path.join(r.cache, "v3.1000.0", "bin"));
    expect(r.stderr).toContain(`pulumi v3.1000.0 from ${path.join(fake, "pulumi")} (>= @pulumi/pulumi ${SDK})`);
    for (const file of ["pulumi", "pulumi-language-nodejs"]) expect(fs.readFileSync(path.join(r.bin!, file))).toEqual(fs.readFileSync(path.join(fake, file)));
    expect(fs.statSync(path.join(r.bin!, "pulumi-resource-pulumi-nodejs")).mode & 0o111).toBeTruthy();
  });

  it("uses a pulumi on PATH of exactly the SDK's version", () => {
    const r = runEngine([fakePulumi(`v${SDK}`)]);
    expect(r.code).toBe(0);
    expect(r.bin).toBe(path.join(r.cache, `v${SDK}`, "bin"));
  });

  it("refuses a pulumi on PATH older than the SDK, saying why", () => {
    const fake = fakePulumi("v3.100.0");
    const r = runEngine([fake]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`not using ${path.join(fake, "pulumi")}: its version 'v3.100.0' is older than @pulumi/pulumi ${SDK}`);
    expect(r.stderr).toContain("KEYSERVICE_ENGINE_NO_BUILD is set");
    expect(fs.existsSync(path.join(r.cache, "v3.100.0"))).toBe(false);
  });

  it("refuses a pulumi on PATH without a language host beside it", () => {
    const r = runEngine([fakePulumi("v3.1000.0", { languageHost: false })]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("(v3.1000.0): no pulumi-language-nodejs beside it");
  });

  it("prefers the pinned build, once cached, to a newer pulumi on PATH", () => {
    const cache = tempDir("keyservice-engine-cache-");
    const pinned = path.join(cache, PINNED, "bin");
    fs.cpSync(fakePulumi(PINNED), pinned, { recursive: true });
    const r = runEngine([fakePulumi("v3.1000.0")], cache);
    expect(r.code).toBe(0);
    expect(r.bin).toBe(pinned);
    expect(r.stderr).toContain(`pulumi ${PINNED}, the pinned build cached in ${pinned}`);
  });
});
