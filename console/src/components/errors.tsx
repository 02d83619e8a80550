import type { ReactNode } from "react";
import { ConsoleApiError } from "../api/caller";

/** An error in words, whatever threw it. */
export function messageOf(err: unknown): string {
  if (err instanceof ConsoleApiError) return err.message;
  if (err instanceof Error) return `Something went wrong in the console: ${err.message}`;
  return "Something went wrong in the console.";
}

export interface FormErrors {
  /** Messages of the fields the form has, by field (`deploymentIds.2` belongs to `deploymentIds`). */
  fields: Record<string, string>;
  /** What no field of the form explains: shown next to the form's button. */
  form?: string;
}

/** Maps an API error's `details` paths onto a form's fields; the rest stays with the form. */
export function formErrors(err: unknown, fields: readonly string[]): FormErrors {
  if (!(err instanceof ConsoleApiError)) return { fields: {}, form: messageOf(err) };
  const byField: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of err.details) {
    const field = detail.path.split(".")[0];
    if (fields.includes(field)) byField[field] = byField[field] ? `${byField[field]}; ${detail.message}` : detail.message;
    else unplaced.push(`${detail.path}: ${detail.message}`);
  }
  const placedAll = err.details.length > 0 && unplaced.length === 0;
  return { fields: byField, form: placedAll ? undefined : [err.message, ...unplaced].join(" ") };
}

/** A field's or a row's error, next to what caused it. */
export function ErrorText({ id, children }: { id?: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p className="error" id={id} role="alert">
      {children}
    </p>
  );
}
