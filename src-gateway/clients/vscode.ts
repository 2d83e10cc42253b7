import { join } from 'node:path';
import { httpEntry, type ClientSpec, type ClientPlace } from './client-spec.js';

/** VS Code's user profile folder: `Code/User` under Application Support, %APPDATA% or XDG config. */
function userDir({ home, env, platform }: ClientPlace): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Code', 'User');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Code', 'User');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Code', 'User');
}

/** VS Code: the user `mcp.json` ("MCP: Open User Configuration"), top-level `servers`, JSONC. */
export const vscode: ClientSpec = {
  id: 'vscode',
  label: 'VS Code',
  configPath: (place) => join(userDir(place), 'mcp.json'),
  serversKey: 'servers',
  comments: true,
  airlockEntry: (target) => ({ type: 'http', ...httpEntry(target) }),
};
