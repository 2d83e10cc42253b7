import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStdioBridge } from '../front/stdio-bridge.js';
import { RUNTIME_FILE, type RuntimeInfo } from '../gateway.js';
import { createLogger } from '../logger.js';
import { readLocalToken } from '../store/local-token.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError } from './cli-args.js';

/**
 * `airlock connect [<server>]`: stdio front for agents that only launch commands, to one server's
 * endpoint or, without a name, to `/mcp` and every connected server.
 */
export async function connectCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, { url: { type: 'string' }, token: { type: 'string' } });
  const [server] = positionals;
  const dataDir = resolveDataDir(values);
  const base = values.url ?? runningGatewayUrl(dataDir) ?? configuredUrl(values);
  const token = values.token ?? process.env.AIRLOCK_TOKEN ?? readLocalToken(dataDir);
  if (!token) {
    throw new UsageError('no token: pass --token, set AIRLOCK_TOKEN, or run `npm start` once to create the local one');
  }
  const url = new URL(server ? `/servers/${encodeURIComponent(server)}/mcp` : '/mcp', base);
  // Logs go to stderr: stdout carries the protocol.
  await runStdioBridge({ url, token, logger: createLogger(process.env.AIRLOCK_LOG_LEVEL as never ?? 'warn') });
}

function runningGatewayUrl(dataDir: string): string | undefined {
  const file = join(dataDir, RUNTIME_FILE);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo).url;
}

function configuredUrl(values: { config?: string }): string {
  const { listen } = resolveConfig(values).config;
  return `http://${listen.host}:${listen.port}`;
}
