import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRLOCK_BIN, REPO, runCli, waitFor } from '../../helpers/gateway-process.js';
import { keyringMissing, startKeyringSession, type KeyringSession } from '../../helpers/keyring-session.js';

const VALUE = 'ghp_cli-secret-7b1d9e40-never-shown';

/** Every file under `dir`, recursively, as raw bytes in one string. */
function filesText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

/**
 * Runs `airlock <args>` with `input` on stdin. While the command waits for stdin, it records what
 * `ps` and /proc show of the process: its command line and its environment.
 */
async function runWithStdin(args: string[], input: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [AIRLOCK_BIN, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const proc = (file: string) => {
    try {
      return readFileSync(`/proc/${child.pid}/${file}`).toString('latin1');
    } catch {
      return ''; // it already exited (a refusal)
    }
  };
  // Once the command line is airlock's, the process has exec'd and its environment is its own.
  await waitFor(() => proc('cmdline').includes(AIRLOCK_BIN) || child.exitCode !== null, 'the command to start');
  const visible = proc('cmdline') + '\n' + proc('environ');
  child.stdin.end(input);
  const code = await new Promise<number>((resolve) => child.once('close', (exit) => resolve(exit ?? 1)));
  return { code, stdout, stderr, visible };
}

/** Reads the entry straight from the Secret Service, as another program of the user could. */
function readKeychainEntry(name: string, env: Record<string, string>): string {
  const script = `const { Entry } = require('@napi-rs/keyring'); process.stdout.write(JSON.stringify(new Entry('airlock', ${JSON.stringify(name)}, { linux: { store: 'secret-service' } }).getPassword()))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO, env: { ...process.env, ...env } }).toString());
}

describe.skipIf(keyringMissing())('airlock secret, with a real Secret Service', () => {
  let keyring: KeyringSession;
  let dataDir: string;
  const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir], keyring.env);

  beforeAll(async () => {
    keyring = await startKeyringSession();
    dataDir = mkdtempSync(join(tmpdir(), 'airlock-secret-cli-'));
  });
  afterAll(async () => {
    await keyring?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a value read from stdin in the keychain, showing it nowhere, and lists only its name', async () => {
    const set = await runWithStdin(['secret', 'set', 'cli-token', '--data-dir', dataDir], VALUE + '\n', keyring.env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('stored secret "cli-token" in the Secret Service keychain\n');
    expect(readKeychainEntry('cli-token', keyring.env)).toBe(VALUE);
    expect(set.visible).toContain('secret\0set\0cli-token');

    const list = await cli('secret', 'list');
    expect(list).toMatchObject({ code: 0, stdout: 'cli-token\n' });

    const seen = [set.visible, set.stdout, set.stderr, list.stdout, list.stderr, filesText(dataDir), filesText(keyring.env.HOME)].join('\n');
    expect(seen).toContain('cli-token');
    expect(seen).not.toContain(VALUE);
  });

  it('refuses an empty value and a value given as an argument, without echoing it', async () => {
    const empty = await runWithStdin(['secret', 'set', 'empty-one', '--data-dir', dataDir], '\n', keyring.env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/the value is empty: nothing was stored/);
    const inline = await cli('secret', 'set', 'inline-one', 'sk-typed-inline-value');
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/never taken as an argument/);
    expect(inline.stderr).not.toContain('sk-typed-inline-value');
    expect((await cli('secret', 'list')).stdout).toBe('cli-token\n');
  });

  it('deletes a secret, and says when there is none to delete', async () => {
    await runWithStdin(['secret', 'set', 'short-lived', '--data-dir', dataDir], 'v', keyring.env);
    expect(await cli('secret', 'delete', 'short-lived')).toMatchObject({ code: 0, stdout: 'deleted secret "short-lived" from the Secret Service keychain\n' });
    expect(readKeychainEntry('short-lived', keyring.env)).toBeNull();
    const again = await cli('secret', 'delete', 'short-lived');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no secret "short-lived" in the Secret Service keychain/);
  });

  it('asks for the value on a terminal with echo off', async () => {
    // `script` gives the command a pseudo-terminal; what it prints is what the person would see.
    const command = [process.execPath, AIRLOCK_BIN, 'secret', 'set', 'typed-token', '--data-dir', dataDir].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO, env: { ...process.env, ...keyring.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (chunk) => (screen += chunk));
    const prompted = new Promise<void>((resolve) => child.stdout.on('data', () => screen.includes('input hidden') && resolve()));
    await prompted;
    child.stdin.write('typed-value-' + VALUE + '\r');
    const code = await new Promise<number>((resolve) => child.once('close', (exit) => resolve(exit ?? 1)));
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/Value of secret "typed-token" \(input hidden\): /);
    expect(screen).toMatch(/stored secret "typed-token"/);
    expect(screen).not.toContain(VALUE);
    expect(readKeychainEntry('typed-token', keyring.env)).toBe('typed-value-' + VALUE);
  });
});

describe('airlock secret, without a keychain', () => {
  // runCli never closes stdin: a `set` that waited for a value here would time out.
  it.runIf(process.platform === 'linux')('fails with what to do when no keychain runs, before asking for a value', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/airlock-test-bus', AIRLOCK_SECRET_STORE: '' };
    for (const args of [['secret', 'set', 'api-key'], ['secret', 'list']]) {
      const result = await runCli(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no OS keychain is available \(Secret Service not running\?\)\. Start one such as gnome-keyring, or keep secrets in an encrypted file with AIRLOCK_SECRET_STORE=file/);
    }
  });

  it('explains each action with --help, and lists the command in the main help', async () => {
    for (const action of ['set', 'list', 'delete']) {
      const help = await runCli(['secret', action, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: airlock secret set <name>/);
      expect(help.stdout).toMatch(/never takes a value as an argument/);
    }
    expect((await runCli(['--help'])).stdout).toMatch(/secret set <name> .*secret list .*secret delete <name>/s);
  });

  it('refuses to store when secrets come only from the environment, before asking for a value', async () => {
    const result = await runCli(['secret', 'set', 'api-key'], { AIRLOCK_SECRET_STORE: 'env' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/secrets come only from environment variables here \(AIRLOCK_SECRET_STORE=env\): set AIRLOCK_SECRET_API_KEY instead/);
  });

  it('keeps secrets in the encrypted file when that is chosen, and refuses it without the passphrase', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airlock-secret-file-'));
    const fileEnv = { AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: 'a passphrase for the test file' };
    const refused = await runWithStdin(['secret', 'set', 'file-token', '--data-dir', dataDir], VALUE, { AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/AIRLOCK_SECRET_STORE=file needs AIRLOCK_SECRET_FILE_KEY/);

    const set = await runWithStdin(['secret', 'set', 'file-token', '--data-dir', dataDir], VALUE, fileEnv);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^stored secret "file-token" in the encrypted file .*secrets\.enc\.json\n$/);
    expect(set.stderr).toMatch(/NOT in the OS keychain/);
    expect((await runCli(['secret', 'list', '--data-dir', dataDir], fileEnv)).stdout).toBe('file-token\n');
    expect(filesText(dataDir)).not.toContain(VALUE);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
