import { useEffect, useReducer, useRef, useState } from 'react';
import type { AgentAppView } from '../../src-gateway/control/contract.js';
import type { ApiError } from '../api/airlock-api.js';
import { useApi } from '../api/api-context.js';
import { ErrorMessage } from '../components/error-message.js';
import { useApiData } from '../components/use-api-data.js';
import { asApiError, useLiveEvent } from '../live.js';
import { AgentAppCard, type CardStep } from './agents/agent-app-card.js';
import '../components/forms.css';
import './agents/agents.css';

/**
 * "Connect an agent": the agent apps on this computer (Claude Desktop, Claude Code, Cursor, VS Code,
 * Windsurf) and whether each goes through Airlock. Connect shows the exact change to the app's own
 * config first and writes it only when confirmed, after a backup that Undo restores. `app` (from
 * `/agents?app=<id>`, the tray's menu) opens that app's change at once.
 */
export function AgentsPage({ app }: { app?: string }) {
  const api = useApi();
  const [revision, reload] = useReducer((n: number) => n + 1, 0);
  const apps = useApiData(() => api.call('listAgentApps'), [api, revision]);
  const connections = useApiData(() => api.call('listConnections'), [api]);
  const [server, setServer] = useState('');
  const [importing, setImporting] = useState(false);
  const [active, setActive] = useState<{ id: string; current: CardStep }>();
  const [errors, setErrors] = useState<Record<string, ApiError | null>>({});
  const cards = useRef(new Map<string, HTMLElement>());
  const opened = useRef<string>(undefined);

  useLiveEvent((event) => {
    if (event.type === 'connections-changed') reload();
  });

  const bodyFor = (withImports: boolean) => ({ ...(server ? { server } : {}), ...(withImports ? { import: true } : {}) });
  const fail = (id: string, error: unknown) => setErrors((previous) => ({ ...previous, [id]: asApiError(error) }));
  const clearError = (id: string) => setErrors((previous) => ({ ...previous, [id]: null }));

  const preview = async (target: AgentAppView, withImports = false) => {
    clearError(target.id);
    setImporting(withImports);
    setActive({ id: target.id, current: { step: 'loading' } });
    try {
      const change = await api.call('previewAgentApp', { params: { id: target.id }, body: bodyFor(withImports) });
      setActive({ id: target.id, current: { step: 'preview', change } });
    } catch (error) {
      setActive(undefined);
      fail(target.id, error);
    }
  };

  const connect = async (target: AgentAppView) => {
    if (active?.id !== target.id || active.current.step !== 'preview') return;
    setActive({ id: target.id, current: { step: 'writing', change: active.current.change } });
    try {
      const change = await api.call('connectAgentApp', { params: { id: target.id }, body: bodyFor(importing) });
      setActive({ id: target.id, current: { step: 'connected', change } });
      reload();
    } catch (error) {
      setActive(undefined);
      fail(target.id, error);
    }
  };

  const undo = async (target: AgentAppView) => {
    clearError(target.id);
    try {
      const change = await api.call('undoAgentApp', { params: { id: target.id } });
      setActive({ id: target.id, current: { step: 'undone', change } });
      reload();
    } catch (error) {
      fail(target.id, error);
    }
  };

  // The tray's "Connect an agent…" names an app: show its change once the list is there.
  useEffect(() => {
    const target = apps.data?.find((candidate) => candidate.id === app);
    if (!target || opened.current === app) return;
    opened.current = app;
    cards.current.get(target.id)?.scrollIntoView({ block: 'start' });
    void preview(target);
  }, [app, apps.data]);

  return (
    <div className="page agents-page">
      <header className="page-header">
        <h1>Connect an agent</h1>
      </header>
      <p className="muted">
        Airlock adds one entry to the agent app’s own MCP config, pointing it at this gateway with the local token; every other entry stays as
        it was. You see the change before anything is written.
      </p>
      <label className="agents-target">
        Through
        <select value={server} onChange={(event) => setServer(event.target.value)}>
          <option value="">All servers (one entry, “airlock”)</option>
          {(connections.data ?? []).map((connection) => (
            <option key={connection.name} value={connection.name}>
              Only {connection.name} (entry “airlock-{connection.name}”)
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage what="The agent apps could not be listed" error={apps.error} />
      {apps.loading && !apps.data && <p className="muted">Looking for agent apps…</p>}
      <div className="agent-app-list">
        {(apps.data ?? []).map((item) => (
          <AgentAppCard
            key={item.id}
            ref={(element) => {
              if (element) cards.current.set(item.id, element);
              else cards.current.delete(item.id);
            }}
            app={item}
            current={active?.id === item.id ? active.current : undefined}
            error={errors[item.id] ?? null}
            importing={active?.id === item.id && importing}
            onImportChange={(value) => void preview(item, value)}
            onConnect={() => void preview(item)}
            onConfirm={() => void connect(item)}
            onCancel={() => setActive(undefined)}
            onUndo={() => undo(item)}
          />
        ))}
      </div>
    </div>
  );
}
