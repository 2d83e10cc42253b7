import { ConfigError } from './config/load-config.js';
import { UsageError } from './cli/cli-args.js';
import { COMMAND_HELP, MAIN_HELP } from './cli/help-text.js';

/**
 * `airlock <command>`. Each command lives in its own module and is loaded only when used, so
 * `airlock connect` and `airlock demo-server` start fast.
 */
const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  gateway: async () => (await import('./cli/gateway-command.js')).gatewayCommand,
  connect: async () => (await import('./cli/connect-command.js')).connectCommand,
  'connect-client': async () => (await import('./cli/connect-client-command.js')).connectClientCommand,
  token: async () => (await import('./cli/token-command.js')).tokenCommand,
  secret: async () => (await import('./cli/secret-command.js')).secretCommand,
  sessions: async () => (await import('./cli/sessions-command.js')).sessionsCommand,
  audit: async () => (await import('./cli/audit-command.js')).auditCommand,
  config: async () => (await import('./cli/config-command.js')).configCommand,
  policy: async () => (await import('./cli/policy-command.js')).policyCommand,
  pins: async () => (await import('./cli/pins-command.js')).pinsCommand,
  approvals: async () => (await import('./cli/approvals-command.js')).approvalsCommand,
  protection: async () => (await import('./cli/protection-command.js')).protectionCommand,
  mask: async () => (await import('./cli/mask-command.js')).maskCommand,
  ui: async () => (await import('./cli/ui-command.js')).uiCommand,
  hub: async () => (await import('./cli/hub-command.js')).hubCommand,
  login: async () => (await import('./cli/login-command.js')).loginCommand,
  logout: async () => (await import('./cli/logout-command.js')).logoutCommand,
  org: async () => (await import('./cli/org-command.js')).orgCommand,
  'demo-server': async () => async () => (await import('./demo/demo-server.js')).runDemoServer(),
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(MAIN_HELP + '\n');
    return;
  }
  if (name === '--version' || name === '-v') {
    const { PACKAGE_VERSION } = await import('./package-root.js');
    process.stdout.write(PACKAGE_VERSION + '\n');
    return;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`unknown command "${name}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write((COMMAND_HELP[name] ?? MAIN_HELP) + '\n');
    return;
  }
  await (await load())(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`airlock: ${error.message}\nRun \`airlock --help\` for usage.\n`);
    process.exit(2);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`airlock: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`airlock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
