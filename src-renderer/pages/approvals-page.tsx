import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api/airlock-api.js';
import { useApi } from '../api/api-context.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorMessage } from '../components/error-message.js';
import { asApiError, isConnectionProblem, useLive, useLiveEvent, type PendingApproval } from '../live.js';
import { Link } from '../router.js';
import { ApprovalCard } from './approvals/approval-card.js';
import { decisionText, resolvedElsewhereText, type Decision } from './approvals/decision-text.js';
import { ResolvedNotes, type Note } from './approvals/resolved-notes.js';
import { useApprovalKeys } from './approvals/use-approval-keys.js';

const MAX_NOTES = 5;

function describe(approval: PendingApproval): string {
  return `${approval.tool ?? approval.method} on ${approval.server}`;
}

/**
 * Calls waiting for a person. `focus` (from `/approvals?focus=<id>` or `/approvals/<id>`) selects one and scrolls to it. An
 * answered call leaves the list; one answered elsewhere (terminal, another window, a timeout) leaves
 * with a note saying where.
 */
export function ApprovalsPage({ focus }: { focus?: string }) {
  const api = useApi();
  const live = useLive();
  const [selectedId, setSelectedId] = useState<string | undefined>(focus);
  const [decidedHere, setDecidedHere] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, ApiError>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Note[]>([]);
  const cards = useRef(new Map<string, HTMLElement>());
  const seen = useRef(new Set<string>());
  /** Ids this window answered; their `approval-resolved` can arrive before the answer to our request. */
  const own = useRef(new Set<string>());
  const noteKey = useRef(0);
  const lastIndex = useRef(0);

  const items = live.pending.filter((approval) => !decidedHere.has(approval.id));
  for (const approval of items) seen.current.add(approval.id);
  const selectedIndex = items.findIndex((approval) => approval.id === selectedId);
  // When the selected item leaves, the one that took its place is selected.
  const current = selectedIndex >= 0 ? items[selectedIndex] : items[Math.min(lastIndex.current, items.length - 1)];
  if (selectedIndex >= 0) lastIndex.current = selectedIndex;

  const addNote = useCallback((text: string) => {
    setNotes((previous) => [{ key: ++noteKey.current, text }, ...previous].slice(0, MAX_NOTES));
  }, []);

  useLiveEvent((event, before) => {
    if (event.type !== 'approval-resolved' || own.current.has(event.data.id)) return;
    const approval = before.pending.find((candidate) => candidate.id === event.data.id);
    if (approval) addNote(resolvedElsewhereText(describe(approval), event.data.decision, event.data.channel));
  });

  // Scroll the focused approval (from the URL) into view once it is there, even if it arrives late.
  const focusShown = focus !== undefined && items.some((approval) => approval.id === focus);
  useEffect(() => {
    if (!focus) return;
    setSelectedId(focus);
    const card = cards.current.get(focus);
    if (card) {
      card.scrollIntoView({ block: 'center' });
      card.focus({ preventScroll: true });
    }
  }, [focus, live.loaded, focusShown]);

  /** Selects an approval from the keyboard: focus follows, so Tab reaches its buttons next. */
  const select = (approval: PendingApproval | undefined) => {
    if (!approval) return;
    setSelectedId(approval.id);
    const card = cards.current.get(approval.id);
    card?.focus({ preventScroll: true });
    card?.scrollIntoView({ block: 'nearest' });
  };

  const decide = async (approval: PendingApproval, decision: Decision) => {
    // A ref, not the busy state: a key pressed twice before the next render must not answer twice.
    if (own.current.has(approval.id)) return;
    own.current.add(approval.id);
    setBusy((previous) => new Set(previous).add(approval.id));
    const reason = reasons[approval.id]?.trim();
    try {
      await api.call('decideApproval', {
        params: { id: approval.id },
        body: { decision, channel: 'window', binding: approval.binding, ...(reason ? { reason } : {}) },
      });
      setDecidedHere((previous) => new Set(previous).add(approval.id));
      addNote(`${describe(approval)}: ${decisionText(decision)}.`);
    } catch (error) {
      const failure = asApiError(error);
      if (failure.code === 'not-pending') {
        setDecidedHere((previous) => new Set(previous).add(approval.id));
        addNote(`${describe(approval)} was no longer waiting: it was answered elsewhere, timed out or was withdrawn.`);
      } else {
        own.current.delete(approval.id);
        setErrors((previous) => ({ ...previous, [approval.id]: failure }));
      }
    } finally {
      setBusy((previous) => {
        const next = new Set(previous);
        next.delete(approval.id);
        return next;
      });
    }
  };

  const reasonField = (approval: PendingApproval) => cards.current.get(approval.id)?.querySelector<HTMLInputElement>('input[data-reason-for]');

  useApprovalKeys(
    {
      move: (step) => select(items[Math.max(0, Math.min(items.length - 1, (current ? items.indexOf(current) : -1) + step))]),
      allowOnce: () => current && void decide(current, 'allow-once'),
      allowSession: () => current && void decide(current, 'allow-session'),
      focusReason: () => current && reasonField(current)?.focus(),
    },
    items.length > 0,
  );

  const focusGone = focus !== undefined && live.loaded && !seen.current.has(focus) && !items.some((approval) => approval.id === focus);

  return (
    <div className="page">
      <header className="page-header">
        <h1>Approvals</h1>
        {items.length > 0 && (
          <p className="key-hints" id="approval-keys">
            Keys: <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>j</kbd>/<kbd>k</kbd> choose · <kbd>a</kbd> allow once · <kbd>s</kbd> allow for session ·{' '}
            <kbd>d</kbd> deny (type a reason, then <kbd>Enter</kbd>)
          </p>
        )}
      </header>
      <ResolvedNotes notes={notes} onDismiss={(key) => setNotes((previous) => previous.filter((note) => note.key !== key))} />
      {focusGone && (
        <p className="note" role="status">
          That approval is no longer waiting: it was answered, timed out or withdrawn. Its call is in <Link to="/history">History</Link>.
        </p>
      )}
      {items.length > 0 ? (
        <section aria-label={`${items.length} waiting`} className="approval-list">
          {items.map((approval) => (
            <ApprovalCard
              key={approval.id}
              ref={(element) => {
                if (element) cards.current.set(approval.id, element);
                else cards.current.delete(approval.id);
              }}
              approval={approval}
              selected={approval.id === current?.id}
              busy={busy.has(approval.id)}
              error={errors[approval.id] ?? null}
              reason={reasons[approval.id] ?? ''}
              onReasonChange={(reason) => setReasons((previous) => ({ ...previous, [approval.id]: reason }))}
              onSelect={() => setSelectedId(approval.id)}
              onDecide={(decision) => void decide(approval, decision)}
              onLeaveReason={() => cards.current.get(approval.id)?.focus()}
            />
          ))}
        </section>
      ) : live.loaded ? (
        <EmptyState title="Nothing is waiting for you">
          <p>
            When a policy rule says <code>approve</code>, the agent’s call waits here until you allow or deny it. Rules are on the{' '}
            <Link to="/policies">Policies</Link> page; what agents did is under <Link to="/">Activity</Link>.
          </p>
        </EmptyState>
      ) : live.problem ? (
        isConnectionProblem(live.problem) ? (
          <p className="muted">Nothing to show until this window is connected (see above).</p>
        ) : (
          <ErrorMessage what="Approvals could not be loaded" error={live.problem} />
        )
      ) : (
        <p className="muted">Loading…</p>
      )}
    </div>
  );
}
