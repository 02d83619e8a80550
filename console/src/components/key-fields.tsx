import { ErrorText } from "./errors";

/** The fields every API key has, as a form edits them. */
export interface KeyFieldValues {
  name: string;
  description: string;
  /** `datetime-local` text (the reader's local time), empty for no expiry. */
  expires: string;
  isActive: boolean;
}

export function emptyKeyFields(): KeyFieldValues {
  return { name: "", description: "", expires: "", isActive: true };
}

export function keyFieldsOf(key: { name: string; description: string | null; expiresAt: string | null; isActive: boolean }): KeyFieldValues {
  return { name: key.name, description: key.description ?? "", expires: toLocalInput(key.expiresAt), isActive: key.isActive };
}

/** An instant as a `datetime-local` value in the reader's zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as an ISO-8601 instant with an offset; null for none; the text itself when it is not a time (the API says why). */
export function expiresAtOf(text: string): string | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

export function KeyFields(props: {
  idPrefix: string;
  values: KeyFieldValues;
  onChange: (values: KeyFieldValues) => void;
  errors: Record<string, string>;
  /** A read_write key may deactivate but not re-activate. */
  canActivate: boolean;
}) {
  const { values, onChange, errors, idPrefix: p } = props;
  return (
    <>
      <label htmlFor={`${p}-name`}>Name</label>
      <input id={`${p}-name`} name="name" value={values.name} onChange={(e) => onChange({ ...values, name: e.target.value })} aria-describedby={`${p}-name-error`} />
      <ErrorText id={`${p}-name-error`}>{errors.name}</ErrorText>

      <label htmlFor={`${p}-description`}>Description</label>
      <input id={`${p}-description`} name="description" value={values.description} onChange={(e) => onChange({ ...values, description: e.target.value })} />
      <ErrorText>{errors.description}</ErrorText>

      <label htmlFor={`${p}-expires`}>Expires (your local time; empty: never)</label>
      <input id={`${p}-expires`} name="expires" type="datetime-local" value={values.expires} onChange={(e) => onChange({ ...values, expires: e.target.value })} />
      <ErrorText>{errors.expiresAt}</ErrorText>

      <label className="check">
        <input
          type="checkbox"
          name="isActive"
          checked={values.isActive}
          disabled={!values.isActive && !props.canActivate}
          onChange={(e) => onChange({ ...values, isActive: e.target.checked })}
        />
        Active
      </label>
      <ErrorText>{errors.isActive}</ErrorText>
    </>
  );
}
