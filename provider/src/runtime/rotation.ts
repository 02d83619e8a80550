import { parseDuration } from "./duration";
import { isUnknown, same } from "./unknown";

/**
 * The rotation plan kept in a key's inputs. `check` decides it at plan time, so the preview shows
 * `rotationReason` changing and says why; `diff` rotates when `rotationAnchor` moved.
 */
export interface RotationPlan {
  /** The instant the current secret's age is counted from (when its creation or rotation was planned). */
  rotationAnchor: string;
  /** Why the current secret was issued: "created", "adopted", "rotationTriggers changed", or "rotateAfter ... elapsed". */
  rotationReason: string;
}

export function planRotation(olds: Record<string, unknown>, news: Record<string, unknown>, now = new Date()): RotationPlan {
  const anchor = typeof olds.rotationAnchor === "string" ? olds.rotationAnchor : undefined;
  if (!anchor) return { rotationAnchor: now.toISOString(), rotationReason: news.adoptExisting ? "adopted" : "created" };
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
export function rotationDue(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return isUnknown(news.rotationTriggers) || olds.rotationAnchor !== news.rotationAnchor;
}

export function gracePeriodSeconds(inputs: Record<string, unknown>): number {
  const ms = typeof inputs.rotationGracePeriod === "string" ? parseDuration(inputs.rotationGracePeriod) : 0;
  return Math.floor((ms ?? 0) / 1000);
}

/** When a run of `pulumi up` will next rotate the key for its age, or undefined without `rotateAfter`. */
export function nextRotationAt(inputs: Record<string, unknown>): string | undefined {
  const maxAge = typeof inputs.rotateAfter === "string" ? parseDuration(inputs.rotateAfter) : undefined;
  const anchor = typeof inputs.rotationAnchor === "string" ? Date.parse(inputs.rotationAnchor) : Number.NaN;
  return maxAge === undefined || Number.isNaN(anchor) ? undefined : new Date(anchor + maxAge).toISOString();
}
