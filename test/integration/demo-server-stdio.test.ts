import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('airlock demo-server over stdio', () => {
  let client: Client | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('answers find_customer from a real child process and writes only protocol to stdout', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['bin/airlock.js', 'demo-server'],
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'demo-server-stdio-test', version: '1.0.0' });
    // A stray line on stdout fails to parse as JSON-RPC and surfaces here.
    const transportErrors: Error[] = [];
    client.onerror = (error) => transportErrors.push(error);
    await client.connect(transport);

    expect(client.getServerVersion()?.name).toBe('airlock-demo');
    const result = (await client.callTool({
      name: 'find_customer',
      arguments: { query: '@', limit: 3 },
    })) as CallToolResult;
    expect(result.isError, stderr).toBeFalsy();
    const { customers } = result.structuredContent as { customers: { id: string }[] };
    expect(customers.map((customer) => customer.id)).toEqual(['cus_0001', 'cus_0002', 'cus_0003']);
    expect(transportErrors).toEqual([]);
  });
});
