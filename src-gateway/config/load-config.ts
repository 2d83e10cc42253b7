import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigSchema, type Config } from './config-schema.js';
import { DEFAULT_CONFIG } from './default-config.js';
import { defaultConfigDir } from './platform-paths.js';

/** A config that could not be read or does not validate; the message names the file and the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or `null` for the embedded default. */
  source: string | null;
}

/**
 * Loads the config from `file`, else from the user's config dir (`config.json`, `config.yaml`),
 * else the embedded default. JSON and YAML are both accepted; YAML is a superset of JSON.
 */
export function loadConfig(file?: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const path = file ?? findUserConfig(env);
  if (!path) return { config: ConfigSchema.parse(DEFAULT_CONFIG), source: null };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const config = parseConfigText(text, path);
  if (config.policy !== undefined) config.policy = resolve(dirname(path), config.policy);
  return { config, source: path };
}

/** Parses and validates config text; errors point at the offending field, e.g. `servers.remote.url`. */
export function parseConfigText(text: string, origin = 'config'): Config {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(origin) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${origin} is not valid ${/\.json$/i.test(origin) ? 'JSON' : 'YAML/JSON'}: ${(error as Error).message}`);
  }
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`${origin} is invalid:\n${formatIssues(result.error)}`);
  return result.data;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('\n');
}

function findUserConfig(env: Record<string, string | undefined>): string | undefined {
  const dir = defaultConfigDir(env);
  return ['config.json', 'config.yaml', 'config.yml'].map((name) => join(dir, name)).find((p) => existsSync(p));
}
