import { routes } from "@keyservice/sdk";
import { getMember } from "../../domain/members";
import { defineRoute } from "../define";

export default defineRoute(routes.getMember, async ({ db, org, params }) => getMember(db, org.id, params.id));
