import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHub } from '../hub/hub-server.js';
import { createLogger } from '../logger.js';
import { orgFetch } from '../sync/org-fetch.js';
import { defaultDataDir } from '../config/platform-paths.js';
import { parseCommand, parsePort, UsageError } from './cli-args.js';

/** `airlock hub`: the reference org hub, until SIGINT/SIGTERM. */
export async function hubCommand(argv: string[]): Promise<void> {
  const { values } = parseCommand(argv, {
    cert: { type: 'string' },
    key: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    'policy-dir': { type: 'string' },
    'ca-file': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'policy-max-age': { type: 'string' },
  });
  for (const name of ['cert', 'key', 'issuer', 'audience', 'policy-dir'] as const) {
    if (!values[name]) throw new UsageError(`--${name} is required`);
  }
  if (!/^https:\/\//.test(values.issuer!)) throw new UsageError('--issuer must be an https:// URL');
  const maxAge = Number(values['policy-max-age'] ?? 300);
  if (!Number.isInteger(maxAge) || maxAge < 0) throw new UsageError('--policy-max-age must be a whole number of seconds');
  const logger = createLogger();
  const host = values.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) logger.info(`listening on ${host}: reachable from other machines (every route but /healthz needs a token)`);
  const hub = await startHub({
    cert: readFileSync(values.cert!),
    key: readFileSync(values.key!),
    issuer: values.issuer!,
    audience: values.audience!,
    policyDir: resolve(values['policy-dir']!),
    policyMaxAgeSeconds: maxAge,
    dataDir: values['data-dir'] ?? join(defaultDataDir(), 'hub'),
    host,
    port: parsePort(values.port) ?? 8443,
    fetch: orgFetch(values['ca-file']),
    logger,
  });
  process.stdout.write(`Airlock hub listening on ${hub.url}\n`);
  const shutdown = (signal: string) => {
    logger.info(`${signal}: stopping`);
    hub.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
