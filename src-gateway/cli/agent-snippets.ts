export interface SnippetInput {
  url: string;
  server: string;
  token: string;
  /** Absolute paths, so the stdio snippet works from any directory. */
  bin: string;
  node: string;
  dataDir?: string;
}

/** Ready-to-paste configs for the agents people use, printed by `npm start`. */
export function agentSnippets({ url, server, token, bin, node, dataDir }: SnippetInput): string[] {
  const endpoint = `${url}/servers/${server}/mcp`;
  const headers = { Authorization: `Bearer ${token}` };
  const connectArgs = [bin, 'connect', server, ...(dataDir ? ['--data-dir', dataDir] : [])];
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    'Cursor (~/.cursor/mcp.json) and other clients that speak Streamable HTTP:',
    json({ mcpServers: { [server]: { url: endpoint, headers } } }),
    '',
    'VS Code (.vscode/mcp.json):',
    json({ servers: { [server]: { type: 'http', url: endpoint, headers } } }),
    '',
    'Claude Code:',
    `  claude mcp add --transport http ${server} ${endpoint} --header "Authorization: Bearer ${token}"`,
    '',
    'Claude Desktop (claude_desktop_config.json) and clients that launch a command:',
    json({ mcpServers: { [server]: { command: node, args: connectArgs } } }),
  ];
}
