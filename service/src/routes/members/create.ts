import { routes } from "@keyservice/sdk";
import { createMember } from "../../domain/members";
import { defineRoute } from "../define";

export default defineRoute(routes.createMember, async ({ org, caller, body, write }) => write((tx) => createMember(tx, org.id, caller, body)));
