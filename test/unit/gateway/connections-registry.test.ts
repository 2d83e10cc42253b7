import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src-gateway/config/config-schema.js';
import { ConnectionError, type ConnectionRegistry } from '../../../src-gateway/connections/connection-registry.js';
import { CONNECTIONS_FILE, openConnectionRegistry } from '../../../src-gateway/connections/file-connection-registry.js';
import type { Logger } from '../../../src-gateway/logger.js';
import { createFileSecretStore } from '../../../src-gateway/secrets/file-secret-store.js';
import type { SecretStore } from '../../../src-gateway/secrets/secret-store.js';

const CONFIG_FILE = '/home/someone/.config/airlock/config.yaml';
const config = ConfigSchema.parse({ servers: { demo: { command: 'airlock', args: ['demo-server'] } } });
const stdio = (command: string, env: Record<string, string> = {}) => ({ command, args: [], env });
const http = (url: string, headers: Record<string, string> = {}) => ({ url, headers });

/** The ConnectionError a call throws, as `code: message`. */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof ConnectionError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a ConnectionError');
}

describe('the connection registry', () => {
  let dataDir: string;
  let logged: string[];
  let logger: Logger;
  let secrets: SecretStore;
  const file = () => join(dataDir, CONNECTIONS_FILE);
  const open = (configFile: string | null = CONFIG_FILE): ConnectionRegistry => openConnectionRegistry({ config, dataDir, secrets, configFile, logger });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'airlock-connections-'));
    logged = [];
    const log = (level: string) => (message: string) => logged.push(`${level} ${message}`);
    logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    secrets = createFileSecretStore({ dataDir, passphrase: 'a passphrase for the unit tests' });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the config servers as read-only config entries and added ones as local', () => {
    const registry = open();
    registry.add('files', stdio('files-server'));
    expect(registry.list()).toEqual([
      { name: 'demo', server: config.servers.demo, source: 'config' },
      { name: 'files', server: stdio('files-server'), source: 'local' },
    ]);
    expect(registry.get('files')).toEqual(stdio('files-server'));
  });

  it('persists local connections to connections.json, user-only, and a new registry reads them back', () => {
    const first = open();
    first.add('files', stdio('files-server', { ROOT: '/srv' }));
    first.add('remote', http('https://mcp.example.com/mcp', { Authorization: 'Bearer keychain:remote.Authorization' }));
    first.update('files', stdio('files-server', { ROOT: '/data' }));
    first.remove('remote');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ servers: { files: stdio('files-server', { ROOT: '/data' }) } });

    const second = open();
    expect(second.list().map(({ name, source }) => `${name}:${source}`)).toEqual(['demo:config', 'files:local']);
    expect(second.get('files')).toEqual(stdio('files-server', { ROOT: '/data' }));
  });

  it('refuses a local name that shadows a config server or another local connection', () => {
    const registry = open();
    expect(refusal(() => registry.add('demo', stdio('other')))).toBe(`conflict: "demo" is already a server in ${CONFIG_FILE}; choose another name`);
    registry.add('files', stdio('files-server'));
    expect(refusal(() => registry.add('files', stdio('other')))).toMatch(/^conflict: a connection named "files" already exists/);
    expect(registry.get('files')).toEqual(stdio('files-server'));
  });

  it('refuses to edit or remove a config server, naming the config file or the embedded default', () => {
    expect(refusal(() => open().update('demo', stdio('other')))).toBe(`read-only: "demo" comes from ${CONFIG_FILE}; change it there`);
    expect(refusal(() => open().remove('demo'))).toBe(`read-only: "demo" comes from ${CONFIG_FILE}; change it there`);
    expect(refusal(() => open(null).remove('demo'))).toBe('read-only: "demo" comes from the embedded default config; change it there');
    expect(open().get('demo')).toEqual(config.servers.demo);
  });

  it('answers not-found for an unknown connection and invalid for a name that is not URL-safe', () => {
    const registry = open();
    expect(refusal(() => registry.update('nope', stdio('x')))).toBe('not-found: no connection "nope"');
    expect(refusal(() => registry.remove('nope'))).toBe('not-found: no connection "nope"');
    expect(refusal(() => registry.add('../etc', stdio('x')))).toMatch(/^invalid: "\.\.\/etc": server names use letters/);
    expect(refusal(() => registry.add('x', { command: '', args: [], env: {} }))).toBe('invalid: command: command must not be empty');
  });

  it('never mistakes an object built-in for a connection', () => {
    const registry = open();
    expect(registry.get('constructor')).toBeUndefined();
    expect(registry.get('toString')).toBeUndefined();
    registry.add('constructor', stdio('x'));
    expect(registry.get('constructor')).toEqual(stdio('x'));
  });

  it('reports a broken file with its path, keeps the config servers, and changes nothing until it is fixed', () => {
    writeFileSync(file(), '{"servers": {"files": {"command": "files-server",');
    const registry = open();
    expect(logged).toEqual([expect.stringMatching(new RegExp(`^error ${file()} is not valid JSON: .*Servers from ${CONFIG_FILE} still work`))]);
    expect(registry.list().map((c) => c.name)).toEqual(['demo']);
    expect(refusal(() => registry.add('other', stdio('x')))).toMatch(new RegExp(`^conflict: ${file()} is not valid JSON: .*Fix or remove it, then try again$`));
    expect(readFileSync(file(), 'utf8')).toBe('{"servers": {"files": {"command": "files-server",');

    writeFileSync(file(), JSON.stringify({ servers: { files: stdio('files-server') } }));
    registry.add('other', stdio('x'));
    expect(registry.list().map((c) => c.name)).toEqual(['demo', 'files', 'other']);
  });

  it('validates the file with the config schema and names the offending field', () => {
    writeFileSync(file(), JSON.stringify({ servers: { files: { command: 'files-server', args: 'not-a-list' }, 'bad name': { url: 'ftp://x' } } }));
    const registry = open();
    expect(logged[0]).toContain(`${file()} is invalid (`);
    expect(logged[0]).toContain('servers.files.args:');
    expect(logged[0]).toContain('servers.bad name: server names use letters');
    expect(registry.list().map((c) => c.name)).toEqual(['demo']);
  });

  it('lets a config server win over a local one of the same name, and says so', () => {
    writeFileSync(file(), JSON.stringify({ servers: { demo: stdio('local-demo'), files: stdio('files-server') } }));
    const registry = open();
    expect(logged).toEqual([`warn ${file()}: demo also in ${CONFIG_FILE}, which wins`]);
    expect(registry.get('demo')).toEqual(config.servers.demo);
    expect(registry.list().map(({ name, source }) => `${name}:${source}`)).toEqual(['demo:config', 'files:local']);
  });

  it('writes through a temp file and leaves none behind, also when the write fails', () => {
    const registry = open();
    for (let i = 0; i < 5; i++) registry.add(`s${i}`, stdio('x'));
    registry.remove('s0');
    const ownFiles = () => readdirSync(dataDir).filter((name) => name.startsWith(CONNECTIONS_FILE));
    expect(ownFiles()).toEqual([CONNECTIONS_FILE]);

    // A directory where the file should be: the rename fails, and memory keeps what the file has.
    rmSync(file());
    mkdirSync(file());
    expect(() => registry.add('s9', stdio('x'))).toThrow(/EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    expect(registry.get('s9')).toBeUndefined();
    expect(ownFiles()).toEqual([CONNECTIONS_FILE]);
  });

  it('tells listeners which connection changed, until they unsubscribe', () => {
    const registry = open();
    const seen: string[][] = [];
    const unsubscribe = registry.onChange((names) => seen.push(names));
    registry.add('files', stdio('x'));
    registry.update('files', stdio('y'));
    expect(() => registry.update('demo', stdio('y'))).toThrow(ConnectionError);
    unsubscribe();
    registry.remove('files');
    expect(seen).toEqual([['files'], ['files']]);
  });

  it("deletes a connection's own secrets once it no longer references them, and never shared ones or another connection's", () => {
    for (const name of ['files.TOKEN', 'files.OLD', 'files.sub.TOKEN', 'shared-token']) secrets.set(name, `value of ${name}`);
    const registry = open();
    const shared = { SHARED: 'keychain:shared-token', SUB: 'keychain:files.sub.TOKEN' };
    registry.add('files', stdio('x', { TOKEN: 'keychain:files.TOKEN', OLD: 'keychain:files.OLD', ...shared }));
    registry.update('files', stdio('x', { TOKEN: 'keychain:files.TOKEN', ...shared }));
    expect(secrets.list()).toEqual(['files.TOKEN', 'files.sub.TOKEN', 'shared-token']);
    registry.remove('files');
    expect(secrets.list()).toEqual(['files.sub.TOKEN', 'shared-token']);
  });
});
