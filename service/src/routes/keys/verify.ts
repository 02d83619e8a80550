import { routes } from "@keyservice/sdk";
import { verifyKey } from "../../domain/verify";
import { defineRoute } from "../define";

/** Says whether a key is usable, without using it. */
export default defineRoute(routes.verifyKey, async ({ db, org, body }) => verifyKey(db, org.id, body.key));
