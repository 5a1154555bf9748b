import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * The native modal dialog: it traps focus, closes on Escape and restores focus for free,
 * which is most of what makes a dialog usable from the keyboard.
 */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    // No close() on cleanup: it fires "close", which would unmount the dialog that React's
    // development double-run is about to show again. Removing the element closes it anyway.
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
