export { buildApp } from "./app";
export { bootstrapOrg, bootstrapPlatformAdmin } from "./bootstrap";
export { resolveConfig, type ServiceConfig } from "./config";
export { Keyring, loadKeyring, parseMasterKeys } from "./crypto/keyring";
export { openStore, type Store } from "./db/connect";
export { migrateToLatest } from "./db/migrate";
export { startService, type RunningService } from "./server";
// The app's decorators (store, cache, usage, …), typed for whoever holds the app.
export type {} from "./plugins/context";
export type {} from "./plugins/metrics";
