import { join } from 'node:path';
import { httpEntry, type ClientSpec } from './client-spec.js';

/**
 * Claude Code: user-scope servers live under `mcpServers` in `~/.claude.json`, which also holds
 * much else (projects, settings): only that one key is touched. `type: "http"` as `claude mcp add
 * --transport http` writes it.
 */
export const claudeCode: ClientSpec = {
  id: 'claude-code',
  label: 'Claude Code',
  configPath: ({ home }) => join(home, '.claude.json'),
  serversKey: 'mcpServers',
  comments: false,
  airlockEntry: (target) => ({ type: 'http', ...httpEntry(target) }),
};
