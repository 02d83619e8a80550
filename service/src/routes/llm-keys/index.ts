import type { RouteModule } from "../define";

/** The LLM key routes (create, list, get, update, delete, verify). */
export const llmKeyRoutes: RouteModule[] = [];
