import { describe, expect, it } from 'vitest';
import { claudeDesktop } from '../../../../src-gateway/clients/claude-desktop.js';
import { withEntry, withoutEntry } from '../../../../src-gateway/clients/client-spec.js';

const target = { endpoint: 'http://127.0.0.1:7400/servers/demo/mcp', token: 'alk_t', command: '/usr/bin/node', args: ['/a/bin/airlock.js', 'connect', 'demo'], env: {} as Record<string, string> };

describe('claude-desktop', () => {
  it('uses claude_desktop_config.json in each platform folder', () => {
    expect(claudeDesktop.configPath({ home: '/h', env: {}, platform: 'darwin' })).toBe('/h/Library/Application Support/Claude/claude_desktop_config.json');
    expect(claudeDesktop.configPath({ home: '/h', env: {}, platform: 'linux' })).toBe('/h/.config/Claude/claude_desktop_config.json');
    expect(claudeDesktop.configPath({ home: '/h', env: { APPDATA: '/ad' }, platform: 'win32' })).toMatch(/ad[/\\]Claude[/\\]claude_desktop_config\.json$/);
  });

  it('launches the stdio front and carries no token in the file', () => {
    const doc = { globalShortcut: 'Ctrl+Space', mcpServers: { fs: { command: 'npx', args: ['fs'] } } };
    const next = withEntry(doc, claudeDesktop, 'airlock-demo', claudeDesktop.airlockEntry(target));
    expect(next).toEqual({ globalShortcut: 'Ctrl+Space', mcpServers: { fs: doc.mcpServers.fs, 'airlock-demo': { command: '/usr/bin/node', args: target.args } } });
    expect(JSON.stringify(next)).not.toContain('alk_t');
    expect(withoutEntry(next, claudeDesktop, 'airlock-demo')).toEqual(doc);
  });

  it("runs the desktop app's own binary in Node mode when the installation is the app", () => {
    const app = { ...target, command: '/opt/Airlock/airlock', args: ['/opt/Airlock/resources/app.asar/dist-app/gateway.mjs', 'connect'], env: { ELECTRON_RUN_AS_NODE: '1' } };
    expect(claudeDesktop.airlockEntry(app)).toEqual({ command: app.command, args: app.args, env: { ELECTRON_RUN_AS_NODE: '1' } });
  });
});
