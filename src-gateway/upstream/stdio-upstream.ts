import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { StdioServer } from '../config/config-schema.js';
import { airlockCommand } from '../package-root.js';
import type { SecretReader } from '../secrets/secret-store.js';
import { resolveSecretMap } from './secret-refs.js';
import { serverLogRedactor } from './server-log-redaction.js';

/**
 * Starts nothing yet: returns a transport that spawns the server on `start()`. The child gets the
 * SDK's allowlisted environment plus the server's own `env` (secrets resolved here and nowhere
 * else), never the gateway's whole environment. Its stderr lines reach `onStderr` with the
 * `injected` secret values and secret-shaped text redacted (`serverLogRedactor`).
 */
export function createStdioUpstream(server: StdioServer, secrets: SecretReader, injected: readonly string[], onStderr: (line: string) => void): StdioClientTransport {
  // `airlock` means this installation, so configs can launch its own tools without a global install.
  const self = server.command === 'airlock' ? airlockCommand() : undefined;
  const env = resolveSecretMap(server.env, secrets);
  const redact = serverLogRedactor(injected);
  const transport = new StdioClientTransport({
    command: self ? self.command : server.command,
    args: self ? [...self.args, ...server.args] : server.args,
    env: { ...getDefaultEnvironment(), ...self?.env, ...env },
    cwd: server.cwd,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) onStderr(redact(line));
  });
  return transport;
}
