import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { defaultDataDir } from '../config/platform-paths.js';

/** Bad command-line input: printed with the command's usage hint, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every subcommand takes these, so scripts can drive a gateway that runs with a non-default setup. */
export const COMMON_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export function parseCommand<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface CommonValues {
  config?: string;
  'data-dir'?: string;
}

export function resolveDataDir(values: CommonValues): string {
  return values['data-dir'] ?? defaultDataDir();
}

export function resolveConfig(values: CommonValues): LoadedConfig {
  return loadConfig(values.config);
}

export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${text}"`);
  return port;
}
