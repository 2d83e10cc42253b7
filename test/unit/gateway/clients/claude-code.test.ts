import { describe, expect, it } from 'vitest';
import { claudeCode } from '../../../../src-gateway/clients/claude-code.js';
import { withEntry, withoutEntry } from '../../../../src-gateway/clients/client-spec.js';
import { formatConfig, parseConfigText } from '../../../../src-gateway/clients/config-text.js';

const target = { endpoint: 'http://127.0.0.1:7400/servers/demo/mcp', token: 'alk_t', command: 'node', args: [], env: {} as Record<string, string> };

describe('claude-code', () => {
  it('edits mcpServers in ~/.claude.json and nothing else', () => {
    expect(claudeCode.configPath({ home: '/h', env: {}, platform: 'linux' })).toBe('/h/.claude.json');
    const text = '{\n\t"numStartups": 3,\n\t"projects": {"/src": {"mcpServers": {"p": {"command": "x"}}}},\n\t"mcpServers": {}\n}';
    const { doc, indent } = parseConfigText(text, '.claude.json', false);
    const next = withEntry(doc, claudeCode, 'airlock-demo', claudeCode.airlockEntry(target));
    expect(next).toEqual({
      numStartups: 3,
      projects: { '/src': { mcpServers: { p: { command: 'x' } } } },
      mcpServers: { 'airlock-demo': { type: 'http', url: target.endpoint, headers: { Authorization: 'Bearer alk_t' } } },
    });
    expect(formatConfig(next, indent)).toMatch(/^\{\n\t"numStartups": 3,/); // the file's tab indent is kept
    expect(withoutEntry(next, claudeCode, 'airlock-demo')).toEqual(doc);
  });

  it('does not accept comments', () => {
    expect(() => parseConfigText('{ // no\n}', '.claude.json', false)).toThrow(/not valid JSON/);
  });
});
