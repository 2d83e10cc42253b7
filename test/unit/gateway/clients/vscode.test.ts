import { describe, expect, it } from 'vitest';
import { withEntry, withoutEntry } from '../../../../src-gateway/clients/client-spec.js';
import { formatConfig, parseConfigText } from '../../../../src-gateway/clients/config-text.js';
import { vscode } from '../../../../src-gateway/clients/vscode.js';

const target = { endpoint: 'http://127.0.0.1:7400/servers/demo/mcp', token: 'alk_t', command: 'node', args: [], env: {} as Record<string, string> };

describe('vscode', () => {
  it('uses the user mcp.json of each platform', () => {
    expect(vscode.configPath({ home: '/h', env: {}, platform: 'linux' })).toBe('/h/.config/Code/User/mcp.json');
    expect(vscode.configPath({ home: '/h', env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux' })).toBe('/x/Code/User/mcp.json');
    expect(vscode.configPath({ home: '/h', env: {}, platform: 'darwin' })).toBe('/h/Library/Application Support/Code/User/mcp.json');
    expect(vscode.configPath({ home: '/h', env: { APPDATA: '/ad' }, platform: 'win32' })).toMatch(/ad[/\\]Code[/\\]User[/\\]mcp\.json$/);
  });

  it('adds a type http entry under servers, keeping inputs and other servers', () => {
    const doc = { inputs: [{ id: 'k', type: 'promptString' }], servers: { mine: { type: 'stdio', command: 'x' } } };
    expect(withEntry(doc, vscode, 'airlock-demo', vscode.airlockEntry(target))).toEqual({
      inputs: doc.inputs,
      servers: { mine: doc.servers.mine, 'airlock-demo': { type: 'http', url: target.endpoint, headers: { Authorization: 'Bearer alk_t' } } },
    });
    expect(withoutEntry(withEntry(doc, vscode, 'airlock-demo', {}), vscode, 'airlock-demo')).toEqual(doc);
  });

  it('reads JSONC: comments and trailing commas go, // inside strings stays', () => {
    const text = '{\n  // my servers\n  "servers": { /* none */ "a": { "url": "http://x//y", "n": "/* no */" }, },\n}\n';
    const parsed = parseConfigText(text, 'mcp.json', true);
    expect(parsed.doc).toEqual({ servers: { a: { url: 'http://x//y', n: '/* no */' } } });
    expect(parsed.hadComments).toBe(true);
    expect(formatConfig(parsed.doc, parsed.indent)).toBe('{\n  "servers": {\n    "a": {\n      "url": "http://x//y",\n      "n": "/* no */"\n    }\n  }\n}\n');
  });

  it('refuses what is still not JSON once comments are gone', () => {
    for (const text of ['{ "a": 1 /* open', '{ a: 1 }', '{ "a": "x" "b": 1 }', '[1]']) {
      expect(() => parseConfigText(text, 'mcp.json', true)).toThrow(/mcp\.json/);
    }
  });
});
