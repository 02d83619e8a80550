import { type ReactNode, useEffect, useId, useRef } from "react";

/** A modal dialog: labelled by its title, focus moved inside once, the page behind inert. */
export function Modal({ title, children, onEscape }: { title: string; children: ReactNode; onEscape?: () => void }) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  // Read at key time: a new callback on a re-render must not move the focus again.
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    box.current?.querySelector<HTMLElement>("[data-autofocus], input, select, button")?.focus();
    const root = document.getElementById("root");
    root?.setAttribute("inert", "");
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") escape.current?.();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      root?.removeAttribute("inert");
      document.removeEventListener("keydown", onKey);
      previous?.focus();
    };
  }, []);
  return (
    <div className="backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={box}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
