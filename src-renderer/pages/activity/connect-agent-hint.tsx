import { useApi } from '../../api/api-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { useApiData } from '../../components/use-api-data.js';
import { Link } from '../../router.js';

/** What a new user sees before the first call: how to point an agent at this gateway. */
export function ConnectAgentHint() {
  const api = useApi();
  const health = useApiData(() => api.call('health'), [api]);
  const base = health.data?.url ?? window.location.origin;
  return (
    <EmptyState title="No calls yet">
      <p>
        Connect an agent to Airlock and its tool calls appear here as they happen. Each server has its own address,{' '}
        <code>{base}/servers/&lt;server&gt;/mcp</code>, which agents use with the bearer token that <code>airlock gateway</code> printed
        at its first start.
      </p>
      <p>
        The <Link to="/connections">Connections</Link> page lists the servers and their addresses; <code>airlock gateway</code> prints
        ready-to-paste configs for Claude Code, Cursor, VS Code and Claude Desktop.
      </p>
    </EmptyState>
  );
}
