import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentAppChangeView, AgentAppView } from '../../../src-gateway/control/contract.js';
import { control } from '../../helpers/control-client.js';
import { AIRLOCK_BIN, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

/** The agent-app routes of a real gateway whose user's home is a temp dir. */
describe('agent apps through the control API', () => {
  let gateway: GatewayProcess;
  const home = mkdtempSync(join(tmpdir(), 'airlock-apps-home-'));
  const cursorFile = join(home, '.cursor', 'mcp.json');
  const original = '{\n  "mcpServers": {\n    "gh": { "command": "npx" }\n  }\n}\n';

  beforeAll(async () => {
    gateway = await startGatewayProcess(
      { servers: { demo: { command: process.execPath, args: [AIRLOCK_BIN, 'demo-server'] } } },
      { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: '', APPDATA: join(home, 'AppData') },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists the apps found in the gateway user\'s home', async () => {
    mkdirSync(join(home, '.cursor'));
    writeFileSync(cursorFile, original);
    const listed = await control<AgentAppView[]>(gateway, 'GET', '/control/agent-apps');
    expect(listed.data.map((app) => app.id)).toEqual(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf']);
    expect(listed.data.find((app) => app.id === 'cursor')).toMatchObject({ configPath: cursorFile, installed: true, airlockEntries: [], directServers: ['gh'], canUndo: false });
  });

  it('previews the change without writing it', async () => {
    const preview = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/cursor/preview', {});
    expect(preview.data).toMatchObject({ id: 'cursor', configPath: cursorFile, written: false, dropsComments: false });
    expect(preview.data.diff).toContain('+    "airlock": {');
    expect(preview.data.diff).toContain(new URL('/mcp', gateway.url).href);
    const token = readFileSync(join(gateway.dataDir, 'local-token'), 'utf8').trim();
    expect(preview.data.diff).toContain(`Bearer ${token.slice(0, 8)}…`);
    expect(preview.data.diff).not.toContain(token);
    expect(readFileSync(cursorFile, 'utf8')).toBe(original);
  });

  it('connects with a backup, and undo restores the file as it was', async () => {
    const connected = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/cursor/connect', {});
    expect(connected.data).toMatchObject({ written: true, backupPath: expect.stringContaining('.airlock-backup-') });
    expect(readFileSync(connected.data.backupPath!, 'utf8')).toBe(original);
    const config = JSON.parse(readFileSync(cursorFile, 'utf8'));
    expect(config.mcpServers.gh).toEqual({ command: 'npx' });
    expect(config.mcpServers.airlock.url).toBe(new URL('/mcp', gateway.url).href);
    expect(config.mcpServers.airlock.headers.Authorization).toBe(`Bearer ${readFileSync(join(gateway.dataDir, 'local-token'), 'utf8').trim()}`);
    const listed = await control<AgentAppView[]>(gateway, 'GET', '/control/agent-apps');
    expect(listed.data.find((app) => app.id === 'cursor')).toMatchObject({ airlockEntries: ['airlock'], canUndo: true });

    const undone = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/cursor/undo');
    expect(undone.data).toMatchObject({ written: true, backupPath: connected.data.backupPath });
    expect(undone.data.diff).toContain('-    "airlock": {');
    expect(readFileSync(cursorFile, 'utf8')).toBe(original);
  });

  it('writes one server\'s entry when the body names it, and the stdio form for Claude Desktop', async () => {
    const connected = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/claude-desktop/connect', { server: 'demo' });
    expect(connected.data).toMatchObject({ written: true });
    expect(connected.data.backupPath).toBeUndefined();
    const entry = JSON.parse(readFileSync(connected.data.configPath, 'utf8')).mcpServers['airlock-demo'];
    expect(entry.args).toEqual([AIRLOCK_BIN, 'connect', 'demo', '--data-dir', gateway.dataDir]);
  });

  it('moves the servers an app reaches directly into Airlock when asked, in the same change', async () => {
    const vscodeFile = join(home, '.config', 'Code', 'User', 'mcp.json');
    mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
    writeFileSync(vscodeFile, JSON.stringify({ servers: { files: { type: 'stdio', command: 'npx', args: ['-y', 'server-filesystem', '/src'] } } }, null, 2));
    const preview = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/vscode/preview', { import: true });
    expect(preview.data.imports).toEqual([{ name: 'files', secretKeys: [] }]);
    expect(preview.data.diff).toMatch(/^-\s+"files": \{/m);
    expect(await control(gateway, 'GET', '/control/connections').then((r) => (r.data as Array<{ name: string }>).map((c) => c.name))).not.toContain('files');

    const connected = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/vscode/connect', { import: true });
    expect(connected.data.written).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(vscodeFile, 'utf8')).servers)).toEqual(['airlock']);
    const connections = (await control<Array<{ name: string; source: string; server: unknown }>>(gateway, 'GET', '/control/connections')).data;
    expect(connections.find((c) => c.name === 'files')).toMatchObject({ source: 'local', server: { command: 'npx', args: ['-y', 'server-filesystem', '/src'] } });
  });

  it('writes nothing when an imported secret cannot be stored', async () => {
    // This gateway reads secrets from AIRLOCK_SECRET_* only: a store that cannot be written.
    const windsurfFile = join(home, '.codeium', 'windsurf', 'mcp_config.json');
    mkdirSync(join(home, '.codeium', 'windsurf'), { recursive: true });
    const text = JSON.stringify({ mcpServers: { gh: { command: 'npx', args: ['gh'], env: { GITHUB_TOKEN: 'ghp_not-stored' } } } });
    writeFileSync(windsurfFile, text);
    const preview = await control<AgentAppChangeView>(gateway, 'POST', '/control/agent-apps/windsurf/preview', { import: true });
    expect(preview.data.imports).toEqual([{ name: 'gh', secretKeys: ['GITHUB_TOKEN'] }]);
    const refused = await control(gateway, 'POST', '/control/agent-apps/windsurf/connect', { import: true });
    expect(refused).toMatchObject({ status: 503, code: 'unavailable' });
    expect(refused.message).toMatch(/^nothing written/);
    expect(readFileSync(windsurfFile, 'utf8')).toBe(text);
    const names = (await control<Array<{ name: string }>>(gateway, 'GET', '/control/connections')).data.map((c) => c.name);
    expect(names).not.toContain('gh');
    rmSync(join(home, '.codeium'), { recursive: true });
  });

  it('refuses an unknown app, a bad server name and an unreadable config, writing nothing', async () => {
    expect(await control(gateway, 'POST', '/control/agent-apps/notepad/preview', {})).toMatchObject({ status: 404, code: 'not-found' });
    expect(await control(gateway, 'POST', '/control/agent-apps/cursor/connect', { server: '../x' })).toMatchObject({ status: 400, code: 'invalid' });
    const claudeCode = join(home, '.claude.json');
    writeFileSync(claudeCode, '{ broken');
    expect(await control(gateway, 'POST', '/control/agent-apps/claude-code/connect', {})).toMatchObject({ status: 400, code: 'invalid' });
    expect(readFileSync(claudeCode, 'utf8')).toBe('{ broken');
    expect(await control(gateway, 'POST', '/control/agent-apps/windsurf/undo')).toMatchObject({ status: 404, code: 'not-found' });
    expect(existsSync(join(home, '.codeium'))).toBe(false);
  });
});
