import { describe, expect, it } from 'vitest';
import { directServers, withEntry, withoutEntry } from '../../../../src-gateway/clients/client-spec.js';
import { windsurf } from '../../../../src-gateway/clients/windsurf.js';

const target = { endpoint: 'http://127.0.0.1:7400/servers/demo/mcp', token: 'alk_t', command: 'node', args: [], env: {} as Record<string, string> };

describe('windsurf', () => {
  it('writes serverUrl, not url, in ~/.codeium/windsurf/mcp_config.json', () => {
    expect(windsurf.configPath({ home: '/h', env: {}, platform: 'linux' })).toBe('/h/.codeium/windsurf/mcp_config.json');
    const doc = { mcpServers: { git: { command: 'uvx', args: ['mcp-server-git'], disabled: true } } };
    const next = withEntry(doc, windsurf, 'airlock-demo', windsurf.airlockEntry(target));
    expect(next.mcpServers).toEqual({ git: doc.mcpServers.git, 'airlock-demo': { serverUrl: target.endpoint, headers: { Authorization: 'Bearer alk_t' } } });
    expect(withoutEntry(next, windsurf, 'airlock-demo')).toEqual(doc);
  });

  it('reads serverUrl entries as direct HTTP servers', () => {
    expect(directServers({ mcpServers: { r: { serverUrl: 'https://r.example/mcp' } } }, windsurf)).toEqual([{ name: 'r', server: { url: 'https://r.example/mcp', headers: {} } }]);
  });
});
