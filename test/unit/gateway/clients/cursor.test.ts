import { describe, expect, it } from 'vitest';
import { airlockEntries, directServers, withEntry, withoutEntry } from '../../../../src-gateway/clients/client-spec.js';
import { cursor } from '../../../../src-gateway/clients/cursor.js';

const target = { endpoint: 'http://127.0.0.1:7400/servers/demo/mcp', token: 'alk_t', command: '/usr/bin/node', args: ['/a/bin/airlock.js', 'connect', 'demo'], env: {} as Record<string, string> };

describe('cursor', () => {
  it('lives in ~/.cursor/mcp.json on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(cursor.configPath({ home: '/h', env: {}, platform })).toMatch(/[/\\]h[/\\]\.cursor[/\\]mcp\.json$/);
    }
  });

  it('adds a url+headers entry under mcpServers, keeping other keys and entries in place', () => {
    const doc = { theme: 'dark', mcpServers: { github: { command: 'npx', args: ['gh'] } }, zz: [1] };
    const next = withEntry(doc, cursor, 'airlock-demo', cursor.airlockEntry(target));
    expect(next).toEqual({
      theme: 'dark',
      mcpServers: { github: { command: 'npx', args: ['gh'] }, 'airlock-demo': { url: target.endpoint, headers: { Authorization: 'Bearer alk_t' } } },
      zz: [1],
    });
    expect(Object.keys(next)).toEqual(['theme', 'mcpServers', 'zz']);
    expect(airlockEntries(next, cursor)).toEqual(['airlock-demo']);
    expect(doc.mcpServers).not.toHaveProperty('airlock-demo'); // the input is not changed
  });

  it('removes only the named entry', () => {
    const doc = { mcpServers: { a: { url: 'http://x' }, 'airlock-demo': { url: 'http://y' } }, other: true };
    expect(withoutEntry(doc, cursor, 'airlock-demo')).toEqual({ mcpServers: { a: { url: 'http://x' } }, other: true });
  });

  it('adds mcpServers to a config without one, and refuses one that is not an object', () => {
    expect(withEntry({}, cursor, 'airlock-demo', { url: 'u' })).toEqual({ mcpServers: { 'airlock-demo': { url: 'u' } } });
    expect(() => withEntry({ mcpServers: [] }, cursor, 'x', {})).toThrow(/not an object/);
  });

  it('lists direct stdio and http servers, not its own entries', () => {
    const doc = {
      mcpServers: {
        gh: { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: 'ghp_x', N: 1 } },
        web: { url: 'https://e.example/mcp', headers: { 'X-Api-Key': 'k' } },
        'airlock-demo': { url: target.endpoint },
        airlock: { url: 'http://127.0.0.1:7400/mcp' },
        odd: 'not an object',
      },
    };
    expect(directServers(doc, cursor)).toEqual([
      { name: 'gh', server: { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: 'ghp_x' } } },
      { name: 'web', server: { url: 'https://e.example/mcp', headers: { 'X-Api-Key': 'k' } } },
    ]);
  });
});
