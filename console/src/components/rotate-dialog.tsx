import { type FormEvent, useState } from "react";
import { ErrorText, type FormErrors, formErrors } from "./errors";
import { Modal } from "./modal";
import { Portal } from "./portal";

const UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;
type Unit = keyof typeof UNITS;

/** Rotates a key in place with a grace period for the previous secret. */
export function RotateDialog(props: { name: string; onRotate: (gracePeriodSeconds: number) => Promise<void>; onClose: () => void }) {
  const [amount, setAmount] = useState("0");
  const [unit, setUnit] = useState<Unit>("minutes");
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    setErrors({ fields: {} });
    try {
      await props.onRotate(Math.round(Number(amount) * UNITS[unit]));
    } catch (err) {
      setErrors(formErrors(err, ["gracePeriodSeconds"]));
      setPending(false);
    }
  };

  return (
    <Portal>
      <Modal title={`Rotate “${props.name}”`} onEscape={pending ? undefined : props.onClose}>
        <form onSubmit={submit} noValidate>
          <p>A new secret is issued under the same key id. The previous secret keeps working for the grace period (at most 7 days, never past the key's expiry).</p>
          <label htmlFor="grace">Grace period</label>
          <div className="inline">
            <input id="grace" name="gracePeriod" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby="grace-error" />
            <select aria-label="Grace period unit" value={unit} onChange={(e) => setUnit(e.target.value as Unit)}>
              {Object.keys(UNITS).map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </div>
          <ErrorText id="grace-error">{errors.fields.gracePeriodSeconds}</ErrorText>
          <ErrorText>{errors.form}</ErrorText>
          <div className="actions">
            <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
              {pending ? "Rotating…" : "Rotate"}
            </button>
            <button type="button" onClick={props.onClose} disabled={pending}>
              Cancel
            </button>
          </div>
        </form>
      </Modal>
    </Portal>
  );
}
