import { useEffect, useId, useRef, type ReactNode } from 'react';
import { describeError } from '../api/problem';
import './dialog.css';

/**
 * A modal question before something that cannot be undone. The native dialog keeps focus
 * inside and closes on Escape; Cancel has the focus first, so Enter never destroys by accident.
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  confirmLabel: string;
  busy?: boolean;
  /** Why the last attempt failed; the dialog stays open to retry or cancel. */
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const el = dialog.current;
    if (el === null) return;
    // Browsers without showModal (and jsdom) get a plain open dialog.
    if (typeof el.showModal === 'function') {
      if (!el.open) el.showModal();
    } else {
      el.setAttribute('open', '');
    }
    cancel.current?.focus();
    return () => {
      if (typeof el.close === 'function' && el.open) el.close();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{children}</div>
      {error !== undefined && error !== null && (
        <p className="field-error" role="alert">
          {describeError(error)}
        </p>
      )}
      <div className="form-actions dialog-actions">
        <button ref={cancel} type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
