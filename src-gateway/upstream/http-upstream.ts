import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { HttpServer } from '../config/config-schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { resolveSecretMap } from './secret-refs.js';

/** A Streamable HTTP connection to a remote server; configured headers (with secrets) are added here. */
export function createHttpUpstream(server: HttpServer, secrets: SecretStore): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: resolveSecretMap(server.headers, secrets) },
  });
}
