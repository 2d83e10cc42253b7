import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isStdioServer, type ServerConfig } from '../config/config-schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { createHttpUpstream } from './http-upstream.js';
import { secretScrubber, textScrubber } from './secret-scrub.js';
import { argumentCredentials, embeddedCredentials } from './plain-credentials.js';
import { injectedSecretValues, prefetchSecrets } from './secret-refs.js';
import { serverLogRedactor } from './server-log-redaction.js';
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
  /** The same cut for text about the server that is not a message (an error, a probe's report). */
  scrubText(text: string): string;
}

/**
 * Prepares the connection to one server, with the secrets its config references read from `store`
 * off the event loop (`prefetchSecrets`); rejects with `MissingSecretError` naming a secret that is
 * not set or cannot be read. Nothing is started: the transport connects on `start()`.
 */
export async function openUpstream(server: ServerConfig, store: SecretStore, log: (line: string) => void): Promise<Upstream> {
  const secrets = await prefetchSecrets(isStdioServer(server) ? server.env : server.headers, store);
  // What Airlock hands the server: its env or headers, and credentials written in its args or URL.
  const injected = isStdioServer(server)
    ? [...injectedSecretValues(server.env, secrets), ...argumentCredentials(server.args)]
    : [...injectedSecretValues(server.headers, secrets), ...embeddedCredentials(server.url)];
  const scrubbers = { scrub: secretScrubber(injected), scrubText: textScrubber(injected) };
  if (isStdioServer(server)) {
    const transport = createStdioUpstream(server, secrets, injected, log);
    return { transport, setProtocolVersion: () => {}, close: () => transport.close(), ...scrubbers };
  }
  // An HTTP error body is server text outside any message, like a stdio server's stderr.
  const transport = createHttpUpstream(server, secrets, serverLogRedactor(injected));
  return {
    transport,
    ...scrubbers,
    setProtocolVersion: (version) => transport.setProtocolVersion(version),
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await transport.close();
    },
  };
}
