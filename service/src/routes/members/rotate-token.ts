import { routes } from "@keyservice/sdk";
import { rotateMemberToken } from "../../domain/members";
import { defineRoute } from "../define";

export default defineRoute(routes.rotateMemberToken, async ({ org, caller, params, body, write }) =>
  write((tx) => rotateMemberToken(tx, org.id, caller, params.id, body.gracePeriodSeconds)),
);
