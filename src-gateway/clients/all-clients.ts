import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import type { ClientSpec } from './client-spec.js';
import { cursor } from './cursor.js';
import { vscode } from './vscode.js';
import { windsurf } from './windsurf.js';

/** The agents `airlock connect-client` knows, in the order `list` shows them. */
export const CLIENTS: readonly ClientSpec[] = [claudeDesktop, claudeCode, cursor, vscode, windsurf];

export function findClient(id: string): ClientSpec | undefined {
  return CLIENTS.find((client) => client.id === id);
}
