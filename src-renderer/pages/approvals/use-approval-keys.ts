import { useEffect, useRef } from 'react';

export interface ApprovalKeys {
  move(step: 1 | -1): void;
  allowOnce(): void;
  allowSession(): void;
  /** Deny asks for an (optional) reason first: `d` focuses the field, Enter there denies. */
  focusReason(): void;
}

/** Whether a key press belongs to a form field the user is typing in, not to the page. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The Approvals page's keys: ↑/↓ or j/k move through the list, `a` allows once, `s` allows for the
 * session, `d` goes to the deny reason. Ignored while typing in a field or with a modifier held, so
 * browser and screen-reader shortcuts keep working.
 */
export function useApprovalKeys(keys: ApprovalKeys, enabled: boolean): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const actions: Record<string, () => void> = {
        ArrowDown: () => latest.current.move(1),
        j: () => latest.current.move(1),
        ArrowUp: () => latest.current.move(-1),
        k: () => latest.current.move(-1),
        a: () => latest.current.allowOnce(),
        s: () => latest.current.allowSession(),
        d: () => latest.current.focusReason(),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
