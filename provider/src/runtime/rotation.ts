import { RotateKeyRequest } from "@keyservice/sdk";
import { z } from "zod";
import type { RotationInputs } from "../rotation-settings";
import { parseDuration } from "./duration";
import type { EngineProps } from "./types";
import type { BodyCheck } from "./validation";
import { isUnknown, same } from "./unknown";

/**
 * The rotation plan kept in a resource's inputs. `check` decides it at plan time, so the preview
 * shows `rotationReason` changing and says why; `diff` rotates when `rotationAnchor` moved.
 */
export type RotationPlan = Pick<RotationInputs, "rotationAnchor" | "rotationReason">;

/** What the plan is decided from: the rotation knobs, and whether the resource adopts an existing one. */
export type PlanSettings = Pick<RotationInputs, "rotationTriggers" | "rotateAfter"> & { adoptExisting?: string };

/** The inputs that never reach the service but live in state (so a change to them is an update). */
export const PLAN_FIELDS = ["rotationTriggers", "rotateAfter", "rotationGracePeriod", "rotationAnchor", "rotationReason"] as const satisfies readonly (keyof RotationInputs)[];

const DURATION = 'must be a duration such as "90d", "12h", "30m" or "1h30m"';
const Duration = z.string({ error: DURATION }).refine((text) => parseDuration(text) !== undefined, DURATION);

/** The provider's own rotation knobs; the grace period's bound is the sdk's (RotateKeyRequest). */
const TRIGGER_VALUE = "must be a string, number or boolean";

const RotationSettings = z.object({
  rotationTriggers: z
    .unknown()
    // zod's record skips a "__proto__" key without checking its value, so that value is checked here (found by test/provider/check-fuzz).
    .superRefine((map, ctx) => {
      if (map === null || typeof map !== "object" || !Object.prototype.hasOwnProperty.call(map, "__proto__")) return;
      const value: unknown = Object.getOwnPropertyDescriptor(map, "__proto__")?.value;
      if (!["string", "number", "boolean"].includes(typeof value)) ctx.addIssue({ code: "custom", path: ["__proto__"], message: TRIGGER_VALUE });
    })
    .pipe(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: TRIGGER_VALUE }), { error: "must be a map of names to values" }))
    .optional(),
  rotateAfter: Duration.optional(),
  rotationGracePeriod: Duration,
});

/** The checks of the rotation knobs: their form, then the grace period as the rotate request would send it. */
export function rotationChecks(values: EngineProps): BodyCheck[] {
  const grace = values.rotationGracePeriod;
  const checks: BodyCheck[] = [
    { schema: RotationSettings, body: { rotationTriggers: values.rotationTriggers, rotateAfter: values.rotateAfter, rotationGracePeriod: grace } },
  ];
  const ms = typeof grace === "string" ? parseDuration(grace) : undefined;
  if (ms !== undefined) checks.push({ schema: RotateKeyRequest, body: { gracePeriodSeconds: Math.floor(ms / 1000) }, from: { gracePeriodSeconds: "rotationGracePeriod" } });
  return checks;
}

/** Why a refresh that found the state's secret no longer current plans a rotation (see `staleSecret`). */
export const STALE_SECRET = "the secret in state is no longer the key's current one (rotated outside this stack, or a rotation whose answer was lost)";

/**
 * What a refresh records when the service's key moved past the version the state holds: an empty
 * anchor, so the next plan rotates and the stack ends up holding a secret that works again.
 */
export function staleSecret(): RotationPlan {
  return { rotationAnchor: "", rotationReason: STALE_SECRET };
}

/** Why a plan rotates when the state's anchor is not an instant (state edited by hand or by another tool): the secret's age is unknown. */
export const UNREADABLE_ANCHOR = "the state's rotationAnchor is not an instant, so the secret's age is unknown";

export function planRotation(olds: Partial<RotationPlan & PlanSettings>, news: PlanSettings, now = new Date()): RotationPlan {
  const anchor = olds.rotationAnchor;
  if (anchor === "") return { rotationAnchor: now.toISOString(), rotationReason: STALE_SECRET };
  if (!anchor) return { rotationAnchor: now.toISOString(), rotationReason: news.adoptExisting ? "adopted" : "created" };
  // Kept as it was, such an anchor would never let rotateAfter elapse (found by test/provider/check-fuzz).
  if (typeof anchor !== "string" || Number.isNaN(Date.parse(anchor))) return { rotationAnchor: now.toISOString(), rotationReason: UNREADABLE_ANCHOR };
  if (!isUnknown(news.rotationTriggers) && !same(olds.rotationTriggers, news.rotationTriggers)) {
    return { rotationAnchor: now.toISOString(), rotationReason: "rotationTriggers changed" };
  }
  const maxAge = typeof news.rotateAfter === "string" ? parseDuration(news.rotateAfter) : undefined;
  if (maxAge !== undefined && now.getTime() - Date.parse(anchor) >= maxAge) {
    return { rotationAnchor: now.toISOString(), rotationReason: `rotateAfter "${news.rotateAfter}" elapsed since ${anchor}` };
  }
  return { rotationAnchor: anchor, rotationReason: typeof olds.rotationReason === "string" ? olds.rotationReason : "created" };
}

/** Whether an update must rotate: the plan moved, or triggers are unknown until apply. */
export function rotationDue(olds: Pick<RotationInputs, "rotationAnchor">, news: Pick<RotationInputs, "rotationTriggers" | "rotationAnchor">): boolean {
  return isUnknown(news.rotationTriggers) || olds.rotationAnchor !== news.rotationAnchor;
}

/** Whether any rotation knob or the plan differs (an update even when the service sees no change). */
export function planChanged(olds: Partial<RotationInputs>, news: RotationInputs): boolean {
  return PLAN_FIELDS.some((k) => !same(olds[k], news[k]));
}

export function gracePeriodSeconds(inputs: Pick<RotationInputs, "rotationGracePeriod">): number {
  return Math.floor((parseDuration(inputs.rotationGracePeriod) ?? 0) / 1000);
}

/** When a run of `pulumi up` will next rotate for age, or undefined without `rotateAfter`. */
export function nextRotationAt(inputs: Pick<RotationInputs, "rotateAfter" | "rotationAnchor">): string | undefined {
  const maxAge = inputs.rotateAfter === undefined ? undefined : parseDuration(inputs.rotateAfter);
  const next = new Date(Date.parse(inputs.rotationAnchor) + (maxAge ?? NaN));
  // Past the last instant a Date can hold ("100000000d"), age never rotates; toISOString would throw after the service minted the key (found by test/provider/check-fuzz).
  return Number.isNaN(next.getTime()) ? undefined : next.toISOString();
}
