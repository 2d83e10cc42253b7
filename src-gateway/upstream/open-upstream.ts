import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isStdioServer, type ServerConfig } from '../config/config-schema.js';
import { createHttpUpstream } from './http-upstream.js';
import { createStdioUpstream } from './stdio-upstream.js';

/** The upstream half of one agent session: each agent session gets its own, so no state leaks. */
export interface Upstream {
  transport: Transport;
  /** Tells the transport the negotiated version (HTTP sends it as `MCP-Protocol-Version`). */
  setProtocolVersion(version: string): void;
  /** Ends the upstream session politely (HTTP DELETE) and closes the connection. */
  close(): Promise<void>;
}

export function openUpstream(server: ServerConfig, log: (line: string) => void): Upstream {
  if (isStdioServer(server)) {
    const transport = createStdioUpstream(server, log);
    return { transport, setProtocolVersion: () => {}, close: () => transport.close() };
  }
  const transport = createHttpUpstream(server);
  return {
    transport,
    setProtocolVersion: (version) => transport.setProtocolVersion(version),
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await transport.close();
    },
  };
}
