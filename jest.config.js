/** @type {import('jest').Config} */
const common = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/test/tsconfig.json" }] },
};

// The service suites run once per store: one parametrized suite, the jest project names the store.
const serviceSuites = ["<rootDir>/test/service/**/*.test.ts", "<rootDir>/test/fuzz/**/*.test.ts"];

module.exports = {
  maxWorkers: 2,
  // Each file starts its own service on a free port; the engine suites are slow by nature.
  testTimeout: 60_000,
  globalSetup: "<rootDir>/test/setup/postgres.js",
  globalTeardown: "<rootDir>/test/setup/postgres-teardown.js",
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  projects: [
    { ...common, displayName: "sqlite", testMatch: serviceSuites, setupFiles: ["<rootDir>/test/setup/store-sqlite.js"] },
    { ...common, displayName: "postgres", testMatch: [...serviceSuites, "<rootDir>/test/cluster/**/*.test.ts"], setupFiles: ["<rootDir>/test/setup/store-postgres.js"] },
    { ...common, displayName: "engine", testMatch: ["<rootDir>/test/{e2e,examples,provider}/**/*.test.ts"] },
    // Fault injection through the real engine and a real `keyservice serve` (see test/faults).
    { ...common, displayName: "faults", testMatch: ["<rootDir>/test/faults/**/*.test.ts"] },
    // The contract package: the client and the OpenAPI document, against a service on SQLite.
    { ...common, displayName: "sdk", testMatch: ["<rootDir>/test/sdk/**/*.test.ts"], setupFiles: ["<rootDir>/test/setup/store-sqlite.js"] },
    // The web console in headless Chromium (Debian's), over a service on SQLite.
    { ...common, displayName: "console", testMatch: ["<rootDir>/test/console/**/*.test.ts"], setupFiles: ["<rootDir>/test/setup/store-sqlite.js"] },
  ],
};
