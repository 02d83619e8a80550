import { routes } from "@keyservice/sdk";
import { updateMember } from "../../domain/members";
import { defineRoute } from "../define";

export default defineRoute(routes.updateMember, async ({ org, caller, params, body, write }) => write((tx) => updateMember(tx, org.id, caller, params.id, body)));
