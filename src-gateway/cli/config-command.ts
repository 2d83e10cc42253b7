import { isStdioServer } from '../config/config-schema.js';
import { parseCommand, resolveConfig, UsageError } from './cli-args.js';

/** `airlock config check`: validates a config; prints servers without resolving any secret. */
export async function configCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {});
  if (positionals[0] !== 'check') throw new UsageError('usage: airlock config check [--config FILE]');
  const { config, source } = resolveConfig(values);
  const lines = [`${source ?? 'embedded default config'} is valid; listen ${config.listen.host}:${config.listen.port}`];
  for (const [name, server] of Object.entries(config.servers)) {
    lines.push(`  ${name}: ${isStdioServer(server) ? `stdio: ${[server.command, ...server.args].join(' ')}` : `http: ${server.url}`}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
