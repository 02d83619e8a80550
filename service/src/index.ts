export { buildApp } from "./app";
export { bootstrapOrg } from "./bootstrap";
export { resolveConfig, type ServiceConfig } from "./config";
export { Keyring, loadKeyring, parseMasterKeys } from "./crypto/keyring";
export { openStore, type Store } from "./db/connect";
export { migrateToLatest } from "./db/migrate";
export { startService, type RunningService } from "./server";
