import { useEffect, useState, type FormEvent } from 'react';
import { DECISIONS, FILTER_KEYS, type SessionFilters } from './session-filters.js';

const EMPTY: SessionFilters = { server: '', tool: '', client: '', decision: '', from: '', to: '', q: '' };

/** The sessions list's filters; applied on submit, so typing does not send a request per key. */
export function FiltersForm({ filters, onApply }: { filters: SessionFilters; onApply(filters: SessionFilters): void }) {
  const [draft, setDraft] = useState(filters);
  // The URL is the source of truth: back/forward replaces what the form shows.
  useEffect(() => setDraft(filters), [filters]);
  const set = (key: keyof SessionFilters) => (event: { target: { value: string } }) => setDraft((previous) => ({ ...previous, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const active = FILTER_KEYS.some((key) => filters[key] !== '');

  return (
    <form className="filters" role="search" aria-label="Filter sessions" onSubmit={submit}>
      <label>
        Search
        <input type="search" value={draft.q} onChange={set('q')} maxLength={200} placeholder="text in recorded messages" />
      </label>
      <label>
        Server
        <input type="text" value={draft.server} onChange={set('server')} />
      </label>
      <label>
        Tool
        <input type="text" value={draft.tool} onChange={set('tool')} />
      </label>
      <label>
        Client
        <input type="text" value={draft.client} onChange={set('client')} />
      </label>
      <label>
        Decision
        <select value={draft.decision} onChange={set('decision')}>
          <option value="">Any</option>
          {DECISIONS.map((decision) => (
            <option key={decision} value={decision}>
              {decision[0].toUpperCase() + decision.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={draft.from} onChange={set('from')} />
      </label>
      <label>
        To
        <input type="date" value={draft.to} onChange={set('to')} />
      </label>
      <div className="filters-actions">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        {active && (
          <button type="button" className="button" onClick={() => onApply(EMPTY)}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
