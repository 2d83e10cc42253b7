import { useState } from 'react';

/**
 * A button for something that cannot be undone: the first click asks, in place, with real buttons
 * (no browser dialog), so a person sees what will happen and tests can find both by role.
 */
export function ConfirmButton({ label, name, question, confirmLabel, onConfirm, disabled }: {
  /** The button's text, e.g. "Remove". */
  label: string;
  /** Its accessible name when the text alone is ambiguous in a list, e.g. "Remove rule block-sql". */
  name?: string;
  /** What is asked, e.g. "Remove the rule block-sql?". */
  question: string;
  /** The confirming button's text, e.g. "Yes, remove". */
  confirmLabel: string;
  onConfirm(): void | Promise<void>;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button-danger" disabled={disabled} onClick={() => setAsking(true)} aria-label={name}>
        {label}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button type="button" className="button-danger" disabled={busy} onClick={confirm}>
        {confirmLabel}
      </button>
      <button type="button" disabled={busy} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
