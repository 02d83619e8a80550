import { routes } from "@keyservice/sdk";
import { deleteMember } from "../../domain/members";
import { defineRoute } from "../define";

export default defineRoute(routes.deleteMember, async ({ org, caller, params, write }) => write((tx) => deleteMember(tx, org.id, caller, params.id)));
