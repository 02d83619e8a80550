import type { ReactNode } from "react";
import { createPortal } from "react-dom";

/** Dialogs render beside #root, so the page behind them can be made inert. */
export function Portal({ children }: { children: ReactNode }) {
  return createPortal(children, document.getElementById("dialogs") ?? document.body);
}
