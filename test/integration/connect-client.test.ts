import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRLOCK_BIN, runCli, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';

/** `airlock connect-client` against a temp HOME and a real running gateway. */
describe('airlock connect-client', () => {
  let gateway: GatewayProcess;
  let home: string;
  let env: Record<string, string>;
  const cursorFile = () => join(home, '.cursor', 'mcp.json');
  const run = (...args: string[]) => runCli(['connect-client', ...args, '--config', gateway.configPath], env);
  const backups = (file: string) => readdirSync(join(file, '..')).filter((name) => name.includes('.airlock-backup-'));

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { demo: { command: process.execPath, args: [AIRLOCK_BIN, 'demo-server'] } } });
    home = mkdtempSync(join(tmpdir(), 'airlock-home-'));
    env = { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: '', AIRLOCK_DATA_DIR: gateway.dataDir, AIRLOCK_SECRET_STORE: 'env' };
  });

  afterAll(async () => {
    await gateway?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('has help, and names the known clients for an unknown one', async () => {
    const help = await runCli(['connect-client', '--help']);
    expect(help.stdout).toMatch(/^Usage: airlock connect-client/);
    const unknown = await run('notepad');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown client "notepad"; known: claude-desktop, claude-code, cursor, vscode, windsurf/);
  });

  it('lists the clients it finds under HOME', async () => {
    mkdirSync(join(home, '.codeium', 'windsurf'), { recursive: true });
    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^windsurf\s+installed, no MCP config yet/m);
    expect(listed.stdout).toMatch(/^cursor\s+not found/m);
  });

  it('shows the change on --dry-run and writes nothing', async () => {
    mkdirSync(join(home, '.cursor'));
    const original = '{\n  "mcpServers": {\n    "github": { "command": "npx", "args": ["-y", "gh"] }\n  },\n  "other": 1\n}\n';
    writeFileSync(cursorFile(), original, { mode: 0o640 });
    const dry = await run('cursor', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+    "airlock": {');
    expect(dry.stdout).toContain(`Bearer `);
    expect(dry.stdout).toMatch(/reaches 1 server directly[\s\S]*github/);
    expect(readFileSync(cursorFile(), 'utf8')).toBe(original);
    expect(backups(cursorFile())).toEqual([]);
  });

  it('refuses to write without --yes when there is no terminal', async () => {
    const before = readFileSync(cursorFile(), 'utf8');
    const refused = await run('cursor');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(readFileSync(cursorFile(), 'utf8')).toBe(before);
  });

  it('writes the aggregate entry with --yes after a backup, once', async () => {
    const original = readFileSync(cursorFile(), 'utf8');
    const written = await run('cursor', '--yes');
    expect(written.code, written.stderr).toBe(0);
    const [backup] = backups(cursorFile());
    expect(readFileSync(join(home, '.cursor', backup), 'utf8')).toBe(original);
    expect(statSync(cursorFile()).mode & 0o777).toBe(0o640);
    const config = JSON.parse(readFileSync(cursorFile(), 'utf8'));
    expect(config.other).toBe(1);
    expect(config.mcpServers.github).toEqual({ command: 'npx', args: ['-y', 'gh'] });
    expect(config.mcpServers.airlock).toMatchObject({ url: new URL('/mcp', gateway.url).href, headers: { Authorization: expect.stringMatching(/^Bearer /) } });

    const again = await run('cursor', '--yes');
    expect(again.stdout).toMatch(/already reaches Airlock/);
    expect(backups(cursorFile())).toHaveLength(1);
    expect((await run('list')).stdout).toMatch(/^cursor\s+through Airlock \(airlock\)/m);
  });

  it('with --server writes that server\'s own entry, which reaches the running gateway', async () => {
    const written = await run('cursor', '--server', 'demo', '--yes');
    expect(written.code, written.stderr).toBe(0);
    expect(backups(cursorFile())).toHaveLength(2);
    const config = JSON.parse(readFileSync(cursorFile(), 'utf8'));
    const entry = config.mcpServers['airlock-demo'] as { url: string; headers: Record<string, string> };
    expect(entry.url).toBe(gateway.agentUrl('demo').href);

    const client = new Client({ name: 'connect-client-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } }));
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }

    const again = await run('cursor', '--server', 'demo', '--yes');
    expect(again.stdout).toMatch(/already reaches "demo" through Airlock/);
    expect((await run('list')).stdout).toMatch(/^cursor\s+through Airlock \(airlock, airlock-demo\)/m);
  });

  it('--undo restores the newest backup byte for byte', async () => {
    const backup = backups(cursorFile()).sort().at(-1)!;
    const saved = readFileSync(join(home, '.cursor', backup));
    const undone = await run('cursor', '--undo', '--yes');
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toContain('-    "airlock-demo": {');
    expect(readFileSync(cursorFile()).equals(saved)).toBe(true);
  });

  it('refuses a file that is not valid JSON and leaves it untouched', async () => {
    const file = join(home, '.claude.json');
    const broken = '{ "mcpServers": { "a": 1, }, // no comments here\n';
    writeFileSync(file, broken);
    const refused = await run('claude-code', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\.claude\.json is not valid JSON[\s\S]*not changed/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(backups(file)).toEqual([]);
  });

  it('accepts VS Code JSONC and creates a missing Claude Desktop config', async () => {
    const vscodeFile = join(home, '.config', 'Code', 'User', 'mcp.json');
    mkdirSync(join(vscodeFile, '..'), { recursive: true });
    writeFileSync(vscodeFile, '{\n  // mine\n  "servers": {},\n}\n');
    const vs = await run('vscode', '--yes');
    expect(vs.code, vs.stderr).toBe(0);
    expect(JSON.parse(readFileSync(vscodeFile, 'utf8')).servers.airlock).toMatchObject({ type: 'http', url: new URL('/mcp', gateway.url).href });

    const desktopFile = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    const desktop = await run('claude-desktop', '--yes');
    expect(desktop.code, desktop.stderr).toBe(0);
    const entry = JSON.parse(readFileSync(desktopFile, 'utf8')).mcpServers.airlock;
    expect(entry.args).toEqual([expect.stringMatching(/airlock\.js$/), 'connect', '--data-dir', gateway.dataDir]);
    expect(statSync(desktopFile).mode & 0o777).toBe(0o600);
    expect(backups(desktopFile)).toEqual([]); // nothing to back up
  });

  it('--import moves the direct servers into Airlock: connections there, secrets in the secret store, gone from the app', async () => {
    const file = join(home, '.codeium', 'windsurf', 'mcp_config.json');
    const secretValue = 'ghp_import-secret-4f2a';
    writeFileSync(file, JSON.stringify({ mcpServers: {
      gh: { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: secretValue, LOG: 'debug' } },
      remote: { serverUrl: 'https://r.example/mcp', headers: { Authorization: 'Bearer xyz' } },
      templated: { command: 'x', env: { KEY: '${env:KEY}' } },
    } }, null, 2));
    const fileStore = { ...env, AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: 'a-long-test-passphrase-123' };
    const imported = await runCli(['connect-client', 'windsurf', '--import', '--yes', '--config', gateway.configPath], fileStore);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/templated \(cannot import: uses \$\{…\}/);
    const connections = readFileSync(join(gateway.dataDir, 'connections.json'), 'utf8');
    expect(connections).not.toContain(secretValue);
    expect(connections).not.toContain('xyz');
    expect(JSON.parse(connections).servers).toEqual({
      gh: { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: 'keychain:gh.GITHUB_TOKEN', LOG: 'debug' } },
      remote: { url: 'https://r.example/mcp', headers: { Authorization: 'keychain:remote.Authorization' } },
    });
    const listed = await runCli(['secret', 'list', '--data-dir', gateway.dataDir], fileStore);
    expect(listed.stdout).toContain('gh.GITHUB_TOKEN');
    expect(listed.stdout).toContain('remote.Authorization');
    // The app now reaches them through Airlock's entry; the secret no longer sits in its file.
    const app = readFileSync(file, 'utf8');
    expect(Object.keys(JSON.parse(app).mcpServers).sort()).toEqual(['airlock', 'templated']);
    expect(app).not.toContain(secretValue);
    // The backup keeps the file as it was, for undo, and the output says so.
    const [backup] = backups(file);
    expect(readFileSync(join(dirname(file), backup), 'utf8')).toContain(secretValue);
    expect(imported.stdout).toMatch(/the backup still holds the secrets/);
  });
});
