import { ApiError, routes } from "@keyservice/sdk";
import { newId } from "../../crypto/ids";
import { digestToken, newToken } from "../../crypto/tokens";
import { isUniqueViolation } from "../../db/connect";
import { writeAudit } from "../../plugins/audit";
import { iso } from "../../time";
import { defineRoute } from "../define";

export default defineRoute(routes.createMember, async ({ app, org, caller, body }) => {
  const token = newToken("user");
  const now = Date.now();
  const id = newId(now);
  try {
    await app.store.transaction().execute(async (trx) => {
      await trx.insertInto("users").values({ id, orgId: org.id, name: body.name, role: body.role, createdAt: now }).execute();
      await trx.insertInto("credentials").values({ digest: digestToken(token), orgId: org.id, kind: "user", ownerId: id, expiresAt: null, createdAt: now }).execute();
      await writeAudit(trx, org.id, caller, { action: "member.create", target: id });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `A member named "${body.name}" already exists in this org.`);
    throw err;
  }
  return { id, name: body.name, role: body.role, createdAt: iso(now), token };
});
