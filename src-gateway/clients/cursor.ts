import { join } from 'node:path';
import { httpEntry, type ClientSpec } from './client-spec.js';

/** Cursor: global `~/.cursor/mcp.json` (`%USERPROFILE%\.cursor\mcp.json` on Windows), `mcpServers`. */
export const cursor: ClientSpec = {
  id: 'cursor',
  label: 'Cursor',
  configPath: ({ home }) => join(home, '.cursor', 'mcp.json'),
  serversKey: 'mcpServers',
  comments: false,
  airlockEntry: httpEntry,
};
