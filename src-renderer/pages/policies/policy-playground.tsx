import { useEffect, useId, useMemo, useState } from 'react';
import type { PolicyCheckView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../components/api-error-text.js';
import { useDebounced } from '../../components/use-debounced.js';
import { ActionBadge } from './policy-status.js';

interface Probe {
  server: string;
  method: string;
  tool: string;
  args: string;
  client: string;
  groups: string;
}

type Outcome = { state: 'idle' } | { state: 'checking' } | { state: 'decided'; decision: PolicyCheckView } | { state: 'failed'; message: string };

/** Arguments as typed: empty is none, anything else must be JSON. */
function parseArguments(text: string): { value?: unknown; problem?: string } {
  if (!text.trim()) return {};
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `The arguments are not JSON: ${(error as Error).message}` };
  }
}

/**
 * "What would happen if…": a call described by hand, decided by the policy in force as you type.
 * `onDecided` reports the rule that fired, so the rules table can point at it.
 */
export function PolicyPlayground({ servers, revision, onDecided }: { servers: string[]; revision: number; onDecided(rule: string | undefined): void }) {
  const api = useApi();
  const ids = useId();
  const [probe, setProbe] = useState<Probe>({ server: '', method: 'tools/call', tool: '', args: '', client: 'local', groups: '' });
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const settled = useDebounced(probe);
  const parsed = useMemo(() => parseArguments(settled.args), [settled.args]);
  const server = settled.server.trim() || servers[0] || '';

  useEffect(() => {
    if (!server || parsed.problem) {
      setOutcome({ state: 'idle' });
      onDecided(undefined);
      return;
    }
    let current = true;
    setOutcome({ state: 'checking' });
    const body = {
      server,
      method: settled.method.trim() || 'tools/call',
      ...(settled.tool.trim() ? { tool: settled.tool.trim() } : {}),
      ...(parsed.value === undefined ? {} : { arguments: parsed.value }),
      client: settled.client.trim() || 'local',
      groups: settled.groups.split(',').map((g) => g.trim()).filter(Boolean),
    };
    api.call('checkPolicy', { body }).then(
      (decision) => {
        if (!current) return;
        setOutcome({ state: 'decided', decision });
        onDecided(decision.rule);
      },
      (failure: unknown) => {
        if (!current) return;
        setOutcome({ state: 'failed', message: errorMessage(failure) });
        onDecided(undefined);
      },
    );
    return () => {
      current = false;
    };
    // A policy reload (revision) can change the answer for the same call.
  }, [api, server, settled, parsed, revision, onDecided]);

  const input = (key: keyof Probe, label: string, placeholder?: string) => (
    <>
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input id={`${ids}-${key}`} value={probe[key]} placeholder={placeholder} onChange={(e) => setProbe((p) => ({ ...p, [key]: e.target.value }))} />
    </>
  );

  return (
    <section aria-labelledby={`${ids}-heading`} className="playground panel">
      <h2 id={`${ids}-heading`}>Try a call</h2>
      <p className="muted">Describe a call; the policy in force decides it as you type. Nothing is sent to any server.</p>
      <div className="form-grid">
        {input('server', 'Server', servers[0] ?? 'server name')}
        {input('method', 'Method')}
        {input('tool', 'Tool', 'e.g. run_sql')}
        <label htmlFor={`${ids}-args`}>Arguments (JSON)</label>
        <textarea
          id={`${ids}-args`}
          rows={4}
          spellCheck={false}
          value={probe.args}
          placeholder={'{"query": "DROP TABLE customers"}'}
          onChange={(e) => setProbe((p) => ({ ...p, args: e.target.value }))}
          aria-invalid={parsed.problem ? true : undefined}
        />
        {input('client', 'Client')}
        {input('groups', 'Groups', 'comma-separated')}
      </div>
      <div className="playground-result" aria-live="polite">
        {parsed.problem && <p role="alert" className="field-problem">{parsed.problem}</p>}
        {!server && <p className="muted">Name a server to see the decision.</p>}
        {outcome.state === 'checking' && <p className="muted">Checking…</p>}
        {outcome.state === 'failed' && (
          <p role="alert" className="banner banner-error">
            {outcome.message}
          </p>
        )}
        {outcome.state === 'decided' && (
          <p role="status" className="decision">
            <span className="visually-hidden">Decision: </span>
            <ActionBadge action={outcome.decision.action} /> by rule <code>{outcome.decision.rule}</code>
            {outcome.decision.reason && <span> — {outcome.decision.reason}</span>}
          </p>
        )}
      </div>
    </section>
  );
}
