/**
 * The `mcpServers` block an agent needs for these servers with this token (the format Cursor,
 * Claude Desktop's HTTP form and most clients read); VS Code and Claude Code variants are in the README.
 */
export function agentSnippet(servers: Array<{ name: string; agentUrl: string }>, token: string): string {
  const mcpServers = Object.fromEntries(servers.map((server) => [server.name, { url: server.agentUrl, headers: { Authorization: `Bearer ${token}` } }]));
  return JSON.stringify({ mcpServers }, null, 2);
}
