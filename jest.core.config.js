// `npm run test:core`, what CI runs on Node 20 and 24 beside the full suite on Node 22: every
// service suite on both stores (with test/cluster), the sdk, the provider's methods against a
// live service, and two scenarios through the real engine (the console and the fault injection run
// on Node 22 only).
const base = require("./jest.config");

const engineCore = ["<rootDir>/test/provider/**/*.test.ts", "<rootDir>/test/e2e/keys-lifecycle.test.ts", "<rootDir>/test/e2e/runtime*.test.ts"];

module.exports = {
  ...base,
  projects: base.projects
    .filter((project) => project.displayName !== "console" && project.displayName !== "faults")
    .map((project) => (project.displayName === "engine" ? { ...project, testMatch: engineCore } : project)),
};
