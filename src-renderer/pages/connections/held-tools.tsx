import { useState } from 'react';
import type { ConnectionView } from '../../../src-gateway/control/contract.js';
import { ApiError } from '../../api/airlock-api.js';
import { useApi } from '../../api/api-context.js';
import { formatDateTime } from '../../components/format.js';
import { errorMessage } from '../../components/api-error-text.js';
import { DiffView } from '../../components/diff-view.js';

type HeldTool = ConnectionView['heldTools'][number];

function why(held: HeldTool): string {
  if (held.reason === 'shadows') return `New, and named like a tool of ${held.shadows ?? 'another server'}: it could be taken for that one.`;
  return 'Its definition changed since it was pinned.';
}

/**
 * Tools of a server hidden from agents until a person looks: a changed definition (a "rug pull")
 * or a new tool shadowing another server's. Approve pins what is offered now; Reject keeps it hidden.
 */
export function HeldTools({ server, held, onDecided }: { server: string; held: HeldTool[]; onDecided(): void }) {
  const api = useApi();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const decide = async (tool: string, route: 'approveTool' | 'rejectTool') => {
    setBusy(tool);
    setError(undefined);
    try {
      await api.call(route, { params: { name: server, tool } });
      onDecided();
    } catch (failure) {
      // Decided elsewhere (CLI, another window) or no longer offered: what is held has changed, so look again.
      if (failure instanceof ApiError && failure.code === 'not-found') onDecided();
      else setError(`Could not ${route === 'approveTool' ? 'approve' : 'reject'} ${tool}: ${errorMessage(failure)}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div role="alert" className="banner banner-warning held-tools">
      <strong>
        {held.length === 1 ? '1 tool is' : `${held.length} tools are`} held for review: agents cannot see or call {held.length === 1 ? 'it' : 'them'} until you decide.
      </strong>
      <ul>
        {held.map((tool) => (
          <li key={tool.tool}>
            <div className="held-tool-head">
              <code>{tool.tool}</code> — {why(tool)} <span className="muted">Since {formatDateTime(tool.since)}.</span>
            </div>
            {tool.diff && (
              <details>
                <summary>Show the change</summary>
                <DiffView diff={tool.diff} label="Definition change" />
              </details>
            )}
            <div className="form-actions">
              <button type="button" disabled={busy !== undefined} onClick={() => decide(tool.tool, 'approveTool')} aria-label={`Approve ${tool.tool}`}>
                Approve
              </button>
              <button type="button" className="button-danger" disabled={busy !== undefined} onClick={() => decide(tool.tool, 'rejectTool')} aria-label={`Reject ${tool.tool}`}>
                Reject
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error && <p role="alert" className="field-problem">{error}</p>}
    </div>
  );
}
