import { describe, expect, it } from 'vitest';
import { ConnectionInputSchema, type ConnectionView } from '../../../src-gateway/control/contract.js';
import { EMPTY_CONNECTION, draftFromView, draftToInput, newRow } from '../../../src-renderer/pages/connections/connection-draft.js';
import { agentSnippet } from '../../../src-renderer/pages/connections/agent-snippet.js';

describe('the "Add a server" form', () => {
  it('sends a stdio server with one argument per line and credentials apart from the env', () => {
    const built = draftToInput({
      ...EMPTY_CONNECTION,
      name: 'files',
      command: ' npx ',
      args: '-y\n@modelcontextprotocol/server-filesystem\n\n/home/me/src\n',
      env: [newRow('LOG_LEVEL', 'warn'), newRow('', '')],
      secrets: [newRow('API_KEY', 's3cret')],
    });
    expect(built).toEqual({
      input: { name: 'files', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/src'], env: { LOG_LEVEL: 'warn' } }, secrets: { API_KEY: 's3cret' } },
    });
    expect(ConnectionInputSchema.safeParse((built as { input: unknown }).input).success).toBe(true);
  });

  it('sends an HTTP server with its headers', () => {
    const built = draftToInput({ ...EMPTY_CONNECTION, name: 'remote', kind: 'http', url: 'https://example.test/mcp', command: 'ignored', headers: [newRow('X-Team', 'a')] });
    expect(built).toEqual({ input: { name: 'remote', server: { url: 'https://example.test/mcp', headers: { 'X-Team': 'a' } }, secrets: {} } });
    expect(ConnectionInputSchema.safeParse((built as { input: unknown }).input).success).toBe(true);
  });

  it('says what to fix for a value without a name or a name given twice', () => {
    expect(draftToInput({ ...EMPTY_CONNECTION, name: 'x', command: 'y', env: [newRow('', 'orphan')] })).toEqual({ problem: 'Every environment variable needs a name; one has only a value.' });
    expect(draftToInput({ ...EMPTY_CONNECTION, name: 'x', command: 'y', secrets: [newRow('K', '1'), newRow('K', '2')] })).toEqual({ problem: 'The credential "K" is given twice.' });
  });

  it('edits a connection without showing its secret references as plain settings', () => {
    const view: ConnectionView = {
      name: 'remote',
      kind: 'http',
      source: 'local',
      server: { url: 'https://example.test/mcp', headers: { Authorization: 'keychain:remote.Authorization', 'X-Team': 'a' } },
      secretKeys: ['Authorization'],
      agentUrl: 'http://127.0.0.1:7400/servers/remote/mcp',
      openSessions: 0,
      lastTest: null,
      heldTools: [],
    };
    const draft = draftFromView(view);
    expect(draft.headers.map((row) => [row.key, row.value])).toEqual([['X-Team', 'a']]);
    expect(draft.storedSecrets).toEqual(['Authorization']);
    expect(draftToInput(draft)).toEqual({ input: { name: 'remote', server: { url: 'https://example.test/mcp', headers: { 'X-Team': 'a' } }, secrets: {} } });
  });
});

describe('the agent config shown with a new token', () => {
  it('names every server with its agent URL and the token as a bearer header', () => {
    expect(JSON.parse(agentSnippet([{ name: 'demo', agentUrl: 'http://127.0.0.1:7400/servers/demo/mcp' }], 'alk_x'))).toEqual({
      mcpServers: { demo: { url: 'http://127.0.0.1:7400/servers/demo/mcp', headers: { Authorization: 'Bearer alk_x' } } },
    });
  });
});
