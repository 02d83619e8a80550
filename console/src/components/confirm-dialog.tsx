import { useState } from "react";
import { messageOf } from "./errors";
import { ErrorText } from "./errors";
import { Modal } from "./modal";
import { Portal } from "./portal";

/** Asks before something that cannot be undone, naming what it acts on. */
export function ConfirmDialog(props: { title: string; message: string; confirm: string; onConfirm: () => Promise<void>; onClose: () => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    if (pending) return;
    setPending(true);
    setError(undefined);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (err) {
      setError(messageOf(err));
      setPending(false);
    }
  };
  return (
    <Portal>
      <Modal title={props.title} onEscape={pending ? undefined : props.onClose}>
        <p>{props.message}</p>
        <ErrorText>{error}</ErrorText>
        <div className="actions">
          <button type="button" className="danger" onClick={confirm} disabled={pending} aria-busy={pending}>
            {pending ? "Working…" : props.confirm}
          </button>
          <button type="button" onClick={props.onClose} disabled={pending} data-autofocus>
            Cancel
          </button>
        </div>
      </Modal>
    </Portal>
  );
}
