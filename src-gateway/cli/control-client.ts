import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_TOKEN_FILE, type ControlResult } from '../control/contract.js';
import { RUNTIME_FILE, type RuntimeInfo } from '../gateway.js';
import { UsageError } from './cli-args.js';

/** The URL and control token of the gateway running with this data dir. */
export function runningGateway(dataDir: string): { url: string; token: string } {
  const runtime = join(dataDir, RUNTIME_FILE);
  const tokenFile = join(dataDir, CONTROL_TOKEN_FILE);
  if (!existsSync(runtime) || !existsSync(tokenFile)) {
    throw new UsageError(`no gateway is running with data dir ${dataDir}: start it with \`npm start\``);
  }
  const { url } = JSON.parse(readFileSync(runtime, 'utf8')) as RuntimeInfo;
  return { url, token: readFileSync(tokenFile, 'utf8').trim() };
}

/** Calls the control API of the gateway running with this data dir, as its own user. */
export async function callControl<T>(dataDir: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const { url, token } = runningGateway(dataDir);
  let response: Response;
  try {
    response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new UsageError(`the gateway at ${url} does not answer (${(error as Error).message}); is it still running?`);
  }
  const result = (await response.json()) as ControlResult<T>;
  if (!result.ok) throw new UsageError(result.message);
  return result.data;
}
