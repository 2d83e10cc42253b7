/** A short note about an approval that left the list. */
export interface Note {
  key: number;
  text: string;
}

/** Notes about approvals that left the list (decided here or elsewhere), announced politely. */
export function ResolvedNotes({ notes, onDismiss }: { notes: Note[]; onDismiss(key: number): void }) {
  return (
    <div role="status" aria-live="polite" className="notes">
      {notes.map((note) => (
        <p key={note.key} className="note">
          {note.text}
          <button type="button" className="button-link" aria-label={`Dismiss: ${note.text}`} onClick={() => onDismiss(note.key)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
