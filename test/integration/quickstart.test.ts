import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRLOCK_BIN, REPO, waitFor } from '../helpers/gateway-process.js';

/** What `npm start` runs, on a free port and a fresh data dir, with no user config around. */
describe('the quickstart (npm start)', () => {
  const home = mkdtempSync(join(tmpdir(), 'airlock-home-'));
  const dataDir = join(home, 'data');
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    child = spawn(process.execPath, [AIRLOCK_BIN, 'gateway', '--port', '0', '--data-dir', dataDir], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: home, AIRLOCK_CONFIG_DIR: join(home, 'no-config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    await waitFor(() => output.includes('Claude Desktop'), 'the quickstart banner', 20_000);
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('prints the agent URL, a token and ready-to-paste configs', () => {
    expect(output).toMatch(/config: embedded default/);
    expect(output).toMatch(/Agent URL: http:\/\/127\.0\.0\.1:\d+\/servers\/demo\/mcp/);
    expect(output).toMatch(/Token for client "local": alk_/);
    for (const agent of ['Cursor', 'VS Code', 'Claude Code', 'Claude Desktop']) expect(output).toContain(agent);
  });

  it('fronts the built-in demo back office over HTTP, with the printed token', async () => {
    const url = /Agent URL: (\S+)/.exec(output)![1];
    const token = /Token for client "local": (\S+)/.exec(output)![1];
    const client = new Client({ name: 'quickstart', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['find_customer', 'run_sql', 'delete_customer']));
    const found = await client.callTool({ name: 'find_customer', arguments: { query: 'a', limit: 1 } });
    // Masking is on by default: the customer's email reaches the agent as a stable token.
    expect((found.structuredContent as { customers: Array<{ email: string }> }).customers[0].email).toMatch(/^<email_\d+>$/);
    await client.close();
  });

  it('works with the printed Claude Desktop snippet, which launches airlock connect', async () => {
    const snippet = output.slice(output.indexOf('Claude Desktop'));
    const json = JSON.parse(snippet.slice(snippet.indexOf('{'), snippet.lastIndexOf('}') + 1));
    const { command, args } = json.mcpServers.demo as { command: string; args: string[] };
    const client = new Client({ name: 'desktop', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command, args, env: { PATH: process.env.PATH ?? '', HOME: home }, stderr: 'pipe' }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});
