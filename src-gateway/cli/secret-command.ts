import { createLogger } from '../logger.js';
import { secretEnvVar } from '../secrets/env-secret-store.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { SECRET_NAME } from '../secrets/secret-store.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError } from './cli-args.js';

/** Same bound as a connection's secret in the control API. */
const MAX_VALUE_BYTES = 16 * 1024;

/**
 * `airlock secret set <name> | list | delete <name>`: the secrets `keychain:<name>` references
 * resolve to. A value is never taken from the command line, where `ps` and shell history show it:
 * `set` asks for it with echo off, or reads it from stdin when that is not a terminal.
 */
export async function secretCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {});
  const [action, name, ...rest] = positionals;
  if (action === 'set' || action === 'delete') {
    // Extra arguments are not echoed: the likeliest one is a value typed where it does not belong.
    if (rest.length) throw new UsageError(`secret ${action} takes only a name; a value is asked for, or read from stdin, never taken as an argument`);
    if (!name) throw new UsageError(`secret ${action} needs a name, e.g. \`airlock secret ${action} github-token\``);
    if (!SECRET_NAME.test(name)) throw new UsageError(`secret names use letters, digits, "_", "." and "-" (up to 128, starting with a letter or digit): "${name}"`);
  } else if (action === 'list') {
    if (name) throw new UsageError('secret list takes no arguments');
  } else {
    throw new UsageError(action ? `unknown secret action "${action}"` : 'secret needs an action: set, list or delete');
  }
  resolveConfig(values); // a broken --config is reported, as with every command
  const store = openSecretStore({ dataDir: resolveDataDir(values), logger: createLogger() });

  if (action === 'set') {
    // A store that cannot take the value fails before the person types it; reading one name is
    // what makes a locked keychain ask to be unlocked, as the write would.
    if (store.kind === 'env') throw new Error(`secrets come only from environment variables here (AIRLOCK_SECRET_STORE=env): set ${secretEnvVar(name)} instead`);
    store.get(name);
    const value = process.stdin.isTTY ? await promptHidden(`Value of secret "${name}" (input hidden): `) : await readStdin();
    if (value === '') throw new UsageError('the value is empty: nothing was stored');
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) throw new UsageError(`the value is longer than ${MAX_VALUE_BYTES / 1024} KiB: nothing was stored`);
    store.set(name, value);
    process.stdout.write(`stored secret "${name}" in ${store.description}\n`);
    if (process.env[secretEnvVar(name)] !== undefined) {
      process.stderr.write(`note: ${secretEnvVar(name)} is set in this environment and takes precedence over the stored value\n`);
    }
  } else if (action === 'delete') {
    if (!store.delete(name)) throw new Error(`no secret "${name}" in ${store.description}`);
    process.stdout.write(`deleted secret "${name}" from ${store.description}\n`);
  } else {
    const names = store.list();
    if (names.length === 0) process.stderr.write(`no secrets in ${store.description} yet: \`airlock secret set <name>\` adds one\n`);
    for (const secret of names) process.stdout.write(secret + '\n');
  }
}

/** All of stdin, less the one line break `echo` or a here-string adds. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads one line from the terminal with echo off; Ctrl-C or Ctrl-D on an empty line cancels. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // Echo goes off before the question appears, so nothing typed in answer is ever shown.
  stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(chars.join(''));
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || (char === '\u0004' && chars.length === 0)) return finish(new Error('cancelled: nothing was stored'));
        if (char === '\u007f' || char === '\b') chars = chars.slice(0, -1);
        else if (char >= ' ') chars.push(char);
      }
    };
    stdin.on('data', onData);
  });
}
