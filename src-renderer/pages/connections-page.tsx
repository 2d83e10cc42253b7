import { useReducer, useState } from 'react';
import type { ConnectionView } from '../../src-gateway/control/contract.js';
import { useApi } from '../api/api-context.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorMessage } from '../components/error-message.js';
import { useApiData } from '../components/use-api-data.js';
import { useLiveEvent } from '../live.js';
import { AgentsSection } from './connections/agents-section.js';
import { ConnectionForm } from './connections/connection-form.js';
import { ServerCard } from './connections/server-card.js';
import '../components/forms.css';
import './connections/connections.css';

/**
 * The servers agents reach through Airlock and the agents allowed in: test a server, review its
 * held tools, add or edit one (credentials go to the OS keychain), and hand out client tokens.
 */
export function ConnectionsPage() {
  const api = useApi();
  const [revision, reload] = useReducer((n: number) => n + 1, 0);
  const connections = useApiData(() => api.call('listConnections'), [api, revision]);
  const [saved, setSaved] = useState<string>();

  // Another window, the CLI or the gateway itself (a tool held on tools/list) changed what this shows.
  useLiveEvent((event) => {
    if (event.type === 'connections-changed' || event.type === 'tool-held' || event.type === 'session-opened' || event.type === 'session-closed') {
      reload();
    }
  });

  const servers: ConnectionView[] = connections.data ?? [];
  // A "Saved" notice describes the last save only; any later change makes it stale.
  const changed = () => {
    setSaved(undefined);
    reload();
  };
  return (
    <div className="page connections-page">
      <h1>Connections</h1>
      <section aria-labelledby="servers-heading">
        <h2 id="servers-heading">Servers</h2>
        <ErrorMessage what="The servers could not be listed" error={connections.error} />
        {connections.loading && !connections.data && <p className="muted">Loading the servers…</p>}
        {saved && (
          <p role="status" className="banner banner-ok">
            Saved {saved}. Agents get it at their next session; credentials are in the OS keychain.
          </p>
        )}
        {connections.data && servers.length === 0 && (
          <EmptyState title="No servers yet">Add one below, or list it under "servers" in your config file; agents then reach it at its agent URL.</EmptyState>
        )}
        <div className="server-list">
          {servers.map((view) => (
            <ServerCard key={view.name} view={view} onChanged={changed} />
          ))}
        </div>
      </section>
      <ConnectionForm
        onSaved={(view) => {
          setSaved(view.name);
          reload();
        }}
      />
      <AgentsSection servers={servers} />
    </div>
  );
}
