import { type ReactNode, useEffect, useId, useRef } from "react";

/** A modal dialog: labelled by its title, focus moved inside, the page behind inert. */
export function Modal({ title, children, onEscape }: { title: string; children: ReactNode; onEscape?: () => void }) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = box.current?.querySelector<HTMLElement>("[data-autofocus], input, select, button");
    first?.focus();
    const root = document.getElementById("root");
    root?.setAttribute("inert", "");
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && onEscape) onEscape();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      root?.removeAttribute("inert");
      document.removeEventListener("keydown", onKey);
    };
  }, [onEscape]);
  return (
    <div className="backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={box}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
