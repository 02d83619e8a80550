import type { RouteModule } from "../define";
import llmKeysCreate from "./create";
import llmKeysDelete from "./delete";
import llmKeysGet from "./get";
import llmKeysList from "./list";
import llmKeysUpdate from "./update";
import llmKeysVerify from "./verify";

/** The LLM key routes (create, list, get, update, delete, verify). */
export const llmKeyRoutes: RouteModule[] = [llmKeysCreate, llmKeysList, llmKeysGet, llmKeysUpdate, llmKeysDelete, llmKeysVerify];
