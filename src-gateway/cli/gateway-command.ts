import { resolve } from 'node:path';
import { startTerminalPrompt } from '../approvals/terminal-prompt.js';
import { createLogger } from '../logger.js';
import { startGateway } from '../gateway.js';
import { AIRLOCK_BIN } from '../package-root.js';
import { ClientTokens } from '../store/client-tokens.js';
import { ensureLocalToken, LOCAL_CLIENT } from '../store/local-token.js';
import { parseCommand, parsePort, resolveConfig, resolveDataDir } from './cli-args.js';
import { agentSnippets } from './agent-snippets.js';

/** `airlock gateway`: runs until SIGINT/SIGTERM, then ends sessions and stops servers cleanly. */
export async function gatewayCommand(argv: string[]): Promise<void> {
  const { values } = parseCommand(argv, { port: { type: 'string' }, host: { type: 'string' }, policy: { type: 'string' } });
  const logger = createLogger();
  const { config, source } = resolveConfig(values);
  const port = parsePort(values.port);
  if (port !== undefined) config.listen.port = port;
  if (values.host !== undefined) config.listen.host = values.host;
  if (values.policy !== undefined) config.policy = resolve(values.policy);
  if (!['127.0.0.1', 'localhost', '::1'].includes(config.listen.host)) {
    logger.warn(`listening on ${config.listen.host}: agents on other machines can reach this gateway. Tokens still apply.`);
  }
  const dataDir = resolveDataDir(values);
  const gateway = await startGateway({ config, configFile: source, dataDir, logger });
  const token = ensureLocalToken(dataDir, new ClientTokens(gateway.db));

  const servers = Object.keys(config.servers);
  const lines = [
    `Airlock gateway listening on ${gateway.url} (config: ${source ?? 'embedded default'}, data: ${dataDir})`,
    ...servers.map((name) => `Agent URL: ${gateway.url}/servers/${name}/mcp`),
    `Token for client "${LOCAL_CLIENT}": ${token}`,
    '',
    ...(servers.length
      ? agentSnippets({ url: gateway.url, server: servers[0], token, bin: AIRLOCK_BIN, node: process.execPath, dataDir: values['data-dir'] })
      : ['No servers are configured yet: add some under "servers" in your config.']),
  ];
  const policy = gateway.policy.describe();
  lines.push('', `Policy: ${policy.source ?? 'embedded default'} (${policy.ruleCount} rules)${policy.error ? ` — NOT LOADED: ${policy.error}` : ''}`);
  const dataDirFlag = values['data-dir'] === undefined ? '' : ` --data-dir ${values['data-dir']}`;
  lines.push(`Window: \`npx airlock ui --open${dataDirFlag}\` opens history, approvals, policies and masking preview in your browser`);
  process.stdout.write(lines.join('\n') + '\n');
  // In a terminal, held calls are asked about right here too.
  if (process.stdin.isTTY && process.stdout.isTTY) startTerminalPrompt(gateway.approvals, process.stdin, process.stdout);

  const shutdown = (signal: string) => {
    logger.info(`${signal}: stopping`);
    gateway.stop().then(() => process.exit(0), (error) => {
      logger.error('stopping failed', error);
      process.exit(1);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
