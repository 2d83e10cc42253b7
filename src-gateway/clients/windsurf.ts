import { join } from 'node:path';
import type { ClientSpec } from './client-spec.js';

/** Windsurf: `~/.codeium/windsurf/mcp_config.json`, `mcpServers`; a remote server is `serverUrl`, not `url`. */
export const windsurf: ClientSpec = {
  id: 'windsurf',
  label: 'Windsurf',
  configPath: ({ home }) => join(home, '.codeium', 'windsurf', 'mcp_config.json'),
  serversKey: 'mcpServers',
  comments: false,
  airlockEntry: ({ endpoint, token }) => ({ serverUrl: endpoint, headers: { Authorization: `Bearer ${token}` } }),
};
