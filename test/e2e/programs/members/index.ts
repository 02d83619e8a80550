import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";

// Every knob comes from stack config, so the end-to-end tests drive one program through many scenarios.
const config = new pulumi.Config();

// Not validated here: the provider's check must refuse a bad name or role.
const ci = new keyservice.Member("ci", {
  name: config.get("memberName"),
  role: config.get("memberRole") as keyservice.Role | undefined,
  rotationTriggers: { trigger: config.get("memberTrigger") ?? "initial" },
  rotateAfter: config.get("memberRotateAfter"),
  rotationGracePeriod: config.get("memberGrace"),
});

export const memberId = ci.id;
export const memberToken = ci.token;
export const memberName = ci.name;
export const memberRole = ci.role;
export const memberRotationReason = ci.rotationReason;
