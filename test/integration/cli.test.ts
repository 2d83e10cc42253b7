import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, runCli, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';

describe('airlock CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-cli-'));

  it('prints help for the whole tool and for each command', async () => {
    const main = await runCli(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['gateway', 'connect', 'token', 'sessions', 'config', 'demo-server']) {
      expect(main.stdout).toContain(command);
      const own = await runCli([command, '--help']);
      expect(own.code).toBe(0);
      expect(own.stdout).toMatch(/^Usage: airlock /);
    }
  });

  it('exits 2 with a hint on an unknown command or option', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"[\s\S]*--help/);
    const option = await runCli(['token', 'list', '--bogus', '--data-dir', scratch]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/bogus/);
  });

  it('prints a new token alone on stdout', async () => {
    const created = await runCli(['token', 'create', 'ci', '--data-dir', join(scratch, 'tokens')]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^alk_[A-Za-z0-9_-]{43}\n$/);
    const listed = await runCli(['token', 'list', '--data-dir', join(scratch, 'tokens')]);
    expect(listed.stdout).toMatch(/^ci\tcreated .*\tactive$/m);
    expect(listed.stdout).not.toContain(created.stdout.trim());
  });

  it('points at the offending field of an invalid config, for every command', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ servers: { remote: { url: 'not a url' }, local: { command: '' } } }));
    for (const args of [['config', 'check'], ['token', 'create', 'x'], ['gateway']]) {
      const result = await runCli([...args, '--config', bad, '--data-dir', scratch]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('servers.remote.url');
      expect(result.stderr).toContain('servers.local.command');
    }
  });

  it('accepts a YAML config', async () => {
    const yaml = join(scratch, 'config.yaml');
    writeFileSync(yaml, 'listen:\n  port: 7499\nservers:\n  docs:\n    url: https://example.test/mcp\n    headers:\n      Authorization: Bearer keychain:docs-token\n');
    const result = await runCli(['config', 'check', '--config', yaml]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('docs: http: https://example.test/mcp');
  });

  it('says what to do when there is no history yet', async () => {
    const result = await runCli(['sessions', 'list', '--data-dir', join(scratch, 'empty')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no recorded history/);
  });

  describe('with recorded history', () => {
    let gateway: GatewayProcess;
    beforeAll(async () => {
      gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') } });
      const client = await gateway.connect('probe', { name: 'history-agent' });
      await client.callTool({ name: 'echo', arguments: { text: 'for the history' } });
    });
    afterAll(async () => gateway?.stop());

    it('lists sessions, shows one by id prefix, and exports it as JSONL', async () => {
      const list = await runCli(['sessions', 'list', '--data-dir', gateway.dataDir]);
      expect(list.code).toBe(0);
      const line = list.stdout.split('\n').find((l) => l.includes('history-agent'))!;
      expect(line).toMatch(/probe\s+test\s+history-agent 1.0.0\s+2\s+open/);
      const prefix = line.split(/\s+/)[0];

      const show = await runCli(['sessions', 'show', prefix, '--data-dir', gateway.dataDir]);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/agent → server\s+request\s+tools\/call echo/);
      expect(show.stdout).toMatch(/server → agent\s+response\s+tools\/call echo\s+1\s+ok/);

      const file = join(gateway.dataDir, '..', 'export.jsonl');
      const exported = await runCli(['sessions', 'export', prefix, '--format', 'jsonl', '--output', file, '--data-dir', gateway.dataDir]);
      expect(exported.code).toBe(0);
      const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(records.map((r) => r.message.method ?? 'answer')).toEqual(['initialize', 'answer', 'notifications/initialized', 'tools/call', 'answer']);
      expect(records[4]).toMatchObject({ server: 'probe', client: 'test', direction: 'to-agent', tool: 'echo', rpc_id: 1 });
      expect(records[4].message.result.content[0].text).toBe('for the history');

      const stdout = await runCli(['sessions', 'export', prefix, '--data-dir', gateway.dataDir]);
      expect(stdout.stdout.trim().split('\n')).toHaveLength(5);
    });

    it('refuses an unknown format and an ambiguous or unknown id', async () => {
      expect((await runCli(['sessions', 'export', 'x', '--format', 'csv', '--data-dir', gateway.dataDir])).code).toBe(2);
      const unknown = await runCli(['sessions', 'show', 'zzzz', '--data-dir', gateway.dataDir]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/no single session matches "zzzz"/);
    });
  });
});
