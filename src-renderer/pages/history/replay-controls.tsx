import { useEffect, useId, useRef } from 'react';
import { SPEEDS, type Replay, type ReplaySpeed } from './use-replay.js';

/** Whether a key press belongs to a control that handles it itself. */
function handledByTarget(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  // Space on a focused button or link presses it; taking it here too would toggle twice.
  return key === ' ' && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName);
}

/** Play/pause, previous/next, speed and where the replay is; space and ←/→ work anywhere on the page. */
export function ReplayControls({ replay, count }: { replay: Replay; count: number }) {
  const speedId = useId();
  const latest = useRef(replay);
  latest.current = replay;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || handledByTarget(event.target, event.key)) return;
      const { toggle, next, previous } = latest.current;
      const action = ({ ' ': toggle, ArrowRight: next, ArrowLeft: previous } as Record<string, () => void>)[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="replay-controls" role="group" aria-label="Replay">
      <button type="button" className="button" onClick={replay.previous} disabled={replay.position === 0} aria-keyshortcuts="ArrowLeft">
        ← Previous
      </button>
      <button type="button" className="button button-primary" onClick={replay.toggle} aria-keyshortcuts="Space">
        {replay.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" className="button" onClick={replay.next} disabled={replay.position >= count - 1} aria-keyshortcuts="ArrowRight">
        Next →
      </button>
      <label htmlFor={speedId}>Speed</label>
      <select id={speedId} value={replay.speed} onChange={(event) => replay.setSpeed(event.target.value as ReplaySpeed)}>
        {SPEEDS.map((speed) => (
          <option key={speed.value} value={speed.value}>
            {speed.label}
          </option>
        ))}
      </select>
      <span role="status" className="replay-position">
        message {count === 0 ? 0 : replay.position + 1} of {count}
      </span>
      <span className="key-hints">
        <kbd>Space</kbd> play/pause · <kbd>←</kbd>/<kbd>→</kbd> step
      </span>
    </div>
  );
}
