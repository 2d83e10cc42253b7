import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isStdioServer, type ServerConfig } from '../config/config-schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { createHttpUpstream } from './http-upstream.js';
import { secretScrubber } from './secret-scrub.js';
import { referencedSecretValues } from './secret-refs.js';
import { createStdioUpstream } from './stdio-upstream.js';

/** The upstream half of one agent session: each agent session gets its own, so no state leaks. */
export interface Upstream {
  transport: Transport;
  /** Tells the transport the negotiated version (HTTP sends it as `MCP-Protocol-Version`). */
  setProtocolVersion(version: string): void;
  /** Ends the upstream session politely (HTTP DELETE) and closes the connection. */
  close(): Promise<void>;
  /** A server message with the credentials Airlock injected into this server cut out (`secretScrubber`). */
  scrub(message: JSONRPCMessage): JSONRPCMessage;
}

/**
 * Connects to one server, with the secrets its config references resolved from `secrets`; throws
 * `MissingSecretError` naming a secret that is not set, before anything is started.
 */
export function openUpstream(server: ServerConfig, secrets: SecretStore, log: (line: string) => void): Upstream {
  if (isStdioServer(server)) {
    const injected = referencedSecretValues(server.env, secrets);
    const transport = createStdioUpstream(server, secrets, injected, log);
    return { transport, setProtocolVersion: () => {}, close: () => transport.close(), scrub: secretScrubber(injected) };
  }
  const transport = createHttpUpstream(server, secrets);
  return {
    transport,
    scrub: secretScrubber(referencedSecretValues(server.headers, secrets)),
    setProtocolVersion: (version) => transport.setProtocolVersion(version),
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await transport.close();
    },
  };
}
