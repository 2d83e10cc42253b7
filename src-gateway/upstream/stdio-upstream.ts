import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { StdioServer } from '../config/config-schema.js';
import { airlockCommand } from '../package-root.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { resolveSecretMap } from './secret-refs.js';

/**
 * Starts nothing yet: returns a transport that spawns the server on `start()`. The child gets the
 * SDK's allowlisted environment plus the server's own `env` (secrets resolved here and nowhere
 * else), never the gateway's whole environment.
 */
export function createStdioUpstream(server: StdioServer, secrets: SecretStore, onStderr: (line: string) => void): StdioClientTransport {
  // `airlock` means this installation, so configs can launch its own tools without a global install.
  const self = server.command === 'airlock' ? airlockCommand() : undefined;
  const transport = new StdioClientTransport({
    command: self ? self.command : server.command,
    args: self ? [...self.args, ...server.args] : server.args,
    env: { ...getDefaultEnvironment(), ...self?.env, ...resolveSecretMap(server.env, secrets) },
    cwd: server.cwd,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) onStderr(line);
  });
  return transport;
}
