import { useRef, useState } from "react";
import { Modal } from "./modal";
import { Portal } from "./portal";

export interface Revealed {
  /** What the secret is, e.g. `global API key "ci" (version 2)`. */
  what: string;
  secret: string;
  hint: string;
}

/**
 * Shows a new secret once. Copy puts the secret itself (never the hint) on the clipboard and says
 * so; closing unmounts the dialog, and its owner drops the secret: it stays in no DOM and no store.
 */
export function CopyOnceDialog({ revealed, onClose }: { revealed: Revealed; onClose: () => void }) {
  const [copied, setCopied] = useState<"copied" | "failed">();
  const secretRef = useRef<HTMLElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopied("copied");
    } catch {
      // No clipboard access: select the secret so it can be copied by hand.
      const range = document.createRange();
      if (secretRef.current) range.selectNodeContents(secretRef.current);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      setCopied("failed");
    }
  };

  return (
    <Portal>
      <Modal title="Copy the new secret now">
        <p>
          This is the only time the full secret of {revealed.what} is shown. Store it where it is needed; closing this dialog removes it from the
          page.
        </p>
        <code className="secret" ref={secretRef} data-testid="secret">
          {revealed.secret}
        </code>
        <p className="status" role="status">
          {copied === "copied" && `Copied the full secret (ending in ${revealed.hint.slice(-4)}) to the clipboard.`}
          {copied === "failed" && "The browser refused the clipboard: the secret is selected, copy it with Ctrl+C (⌘C)."}
        </p>
        <div className="actions">
          <button type="button" className="primary" onClick={copy} data-autofocus>
            Copy secret
          </button>
          <button type="button" onClick={onClose}>
            I have stored it — close
          </button>
        </div>
      </Modal>
    </Portal>
  );
}
