import { join } from 'node:path';
import type { ClientPlace, ClientSpec } from './client-spec.js';

function configDir({ home, env, platform }: ClientPlace): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Claude');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Claude');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Claude');
}

/**
 * Claude Desktop: `claude_desktop_config.json`, `mcpServers`. Its config file launches commands
 * only, so the entry runs the stdio front, `airlock connect <server>`, as the printed snippet does.
 */
export const claudeDesktop: ClientSpec = {
  id: 'claude-desktop',
  label: 'Claude Desktop',
  configPath: (place) => join(configDir(place), 'claude_desktop_config.json'),
  serversKey: 'mcpServers',
  comments: false,
  airlockEntry: ({ command, args, env }) => (Object.keys(env).length ? { command, args, env } : { command, args }),
};
