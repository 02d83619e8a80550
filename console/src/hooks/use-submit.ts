import { type FormEvent, useRef, useState } from "react";
import { type FormErrors, formErrors } from "../components/errors";

/** A form's submit: one request at a time, and the API's errors mapped onto the form's fields. */
export function useSubmit(fields: readonly string[], work: () => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const busy = useRef(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy.current) return;
    busy.current = true;
    setPending(true);
    setErrors({ fields: {} });
    try {
      await work();
    } catch (err) {
      setErrors(formErrors(err, fields));
    } finally {
      busy.current = false;
      setPending(false);
    }
  };
  return { pending, errors, submit };
}
