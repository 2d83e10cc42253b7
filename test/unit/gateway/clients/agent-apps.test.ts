import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { airlockTarget, applyConnect, applyUndo, listAgentApps, planConnect, planUndo } from '../../../../src-gateway/clients/agent-apps.js';
import { ClientConfigError, type ClientPlace } from '../../../../src-gateway/clients/client-spec.js';
import { claudeDesktop } from '../../../../src-gateway/clients/claude-desktop.js';
import { cursor } from '../../../../src-gateway/clients/cursor.js';

const base = { base: 'http://127.0.0.1:7400', token: 'alk_t', self: { command: '/usr/bin/node', args: ['/a/bin/airlock.js'], env: {} } };

describe('the Airlock entry', () => {
  it('points at the aggregate endpoint, named "airlock", unless a server is named', () => {
    expect(airlockTarget(base)).toEqual({
      entryName: 'airlock',
      target: { endpoint: 'http://127.0.0.1:7400/mcp', token: 'alk_t', command: '/usr/bin/node', args: ['/a/bin/airlock.js', 'connect'], env: {} },
    });
    expect(airlockTarget({ ...base, server: 'demo', dataDir: '/d' })).toEqual({
      entryName: 'airlock-demo',
      target: { endpoint: 'http://127.0.0.1:7400/servers/demo/mcp', token: 'alk_t', command: '/usr/bin/node', args: ['/a/bin/airlock.js', 'connect', 'demo', '--data-dir', '/d'], env: {} },
    });
  });
});

describe('agent apps in a home dir', () => {
  let home: string;
  let place: ClientPlace;
  const cursorFile = () => join(home, '.cursor', 'mcp.json');

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'airlock-apps-'));
    place = { home, env: {}, platform: 'linux' };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('lists every known app with what it reaches, and reports an unreadable config instead of failing', () => {
    mkdirSync(join(home, '.cursor'));
    writeFileSync(cursorFile(), JSON.stringify({ mcpServers: { airlock: { url: 'u' }, gh: { command: 'npx' } } }));
    writeFileSync(join(home, '.claude.json'), '{ broken');
    const apps = listAgentApps(place);
    expect(apps.map((app) => app.id)).toEqual(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf']);
    expect(apps.find((app) => app.id === 'cursor')).toEqual({
      id: 'cursor', label: 'Cursor', configPath: cursorFile(), installed: true, airlockEntries: ['airlock'], directServers: ['gh'], canUndo: false,
    });
    expect(apps.find((app) => app.id === 'claude-code')?.error).toMatch(/not valid JSON/);
    expect(apps.find((app) => app.id === 'windsurf')?.installed).toBe(false);
    // Claude Code's config sits in the home dir itself, which says nothing about whether it is installed.
    rmSync(join(home, '.claude.json'));
    expect(listAgentApps(place).find((app) => app.id === 'claude-code')?.installed).toBe(false);
  });

  it('previews without writing, connects with a backup, and undo restores the original', () => {
    mkdirSync(join(home, '.cursor'));
    const original = '{\n  "mcpServers": {}\n}\n';
    writeFileSync(cursorFile(), original);
    const plan = planConnect(cursor, place, airlockTarget(base));
    expect(plan.view.diff).toContain('+    "airlock": {');
    expect(plan.view.written).toBe(false);
    expect(readFileSync(cursorFile(), 'utf8')).toBe(original);

    const written = applyConnect(plan, new Date(0));
    expect(written).toMatchObject({ written: true, backupPath: `${cursorFile()}.airlock-backup-1970-01-01T00-00-00-000Z` });
    expect(JSON.parse(readFileSync(cursorFile(), 'utf8')).mcpServers.airlock.url).toBe('http://127.0.0.1:7400/mcp');
    expect(planConnect(cursor, place, airlockTarget(base)).view.diff).toBe('');
    expect(listAgentApps(place).find((app) => app.id === 'cursor')?.canUndo).toBe(true);

    const undo = planUndo(cursor, place)!;
    expect(undo.view.diff).toContain('-    "airlock": {');
    expect(applyUndo(undo)).toMatchObject({ written: true, backupPath: written.backupPath });
    expect(readFileSync(cursorFile(), 'utf8')).toBe(original);
  });

  it('creates a missing config without a backup, so there is nothing to undo', () => {
    const written = applyConnect(planConnect(claudeDesktop, place, airlockTarget(base)), new Date());
    expect(written).toMatchObject({ written: true, backupPath: undefined });
    expect(readdirSync(join(home, '.config', 'Claude'))).toEqual(['claude_desktop_config.json']);
    expect(planUndo(claudeDesktop, place)).toBeUndefined();
  });

  it('refuses a config it cannot read', () => {
    mkdirSync(join(home, '.cursor'));
    writeFileSync(cursorFile(), '[1]');
    expect(() => planConnect(cursor, place, airlockTarget(base))).toThrow(ClientConfigError);
  });
});
