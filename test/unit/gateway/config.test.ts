import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../../src-gateway/config/load-config.js';

describe('config', () => {
  it('defaults to loopback on port 7400 with the demo server', () => {
    const { config, source } = loadConfig(undefined, { AIRLOCK_CONFIG_DIR: '/nonexistent' });
    expect(source).toBeNull();
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 7400 });
    expect(config.servers.demo).toEqual({ command: 'airlock', args: ['demo-server'], env: {} });
  });

  it('reads the shape from the docs', () => {
    const config = parseConfigText(
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 7400 },
        servers: { demo: { command: 'airlock', args: ['demo-server'] }, remote: { url: 'https://example.test/mcp', headers: { Authorization: 'Bearer keychain:remote-token' } } },
      }),
      'c.json',
    );
    expect(config.servers.remote).toEqual({ url: 'https://example.test/mcp', headers: { Authorization: 'Bearer keychain:remote-token' } });
  });

  it.each([
    [{ servers: { s: { url: 'ftp://x' } } }, 'servers.s.url'],
    [{ servers: { s: { command: '' } } }, 'servers.s.command'],
    [{ servers: { s: { command: 'x', args: 'not-a-list' } } }, 'servers.s.args'],
    [{ servers: { s: { command: 'x', env: { A: 1 } } } }, 'servers.s.env.A'],
    [{ servers: { s: { command: 'x', typo: true } } }, 'servers.s'],
    [{ servers: { s: {} } }, 'servers.s'],
    [{ listen: { port: 70000 } }, 'listen.port'],
    [{ listen: { port: '7400' } }, 'listen.port'],
    [{ limits: { maxBodyBytes: -1 } }, 'limits.maxBodyBytes'],
    [{ servers: { 'has space': { command: 'x' } } }, 'servers.has space'],
    [{ unknown: 1 }, '(top level)'],
  ])('points at the field in %j', (raw, field) => {
    expect(() => parseConfigText(JSON.stringify(raw), 'c.json')).toThrow(ConfigError);
    expect(() => parseConfigText(JSON.stringify(raw), 'c.json')).toThrow(`- ${field}`);
  });

  it('reports broken JSON and YAML with the file name', () => {
    expect(() => parseConfigText('{"servers": ', 'c.json')).toThrow(/c\.json is not valid JSON/);
    expect(() => parseConfigText('servers: [unclosed', 'c.yaml')).toThrow(/c\.yaml is not valid YAML/);
  });

  it('reports a missing file by name', () => {
    expect(() => loadConfig('/nonexistent/airlock.json')).toThrow(/cannot read config \/nonexistent\/airlock\.json: ENOENT/);
  });
});

describe('config policy path', () => {
  it('resolves a relative policy file against the config file\'s folder', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(dir, 'airlock.yaml'), 'policy: rules/policy.yaml\n');
    expect(loadConfig(join(dir, 'airlock.yaml')).config.policy).toBe(join(dir, 'rules/policy.yaml'));
  });
});
