import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { HttpServer } from '../config/config-schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { guardedFetch } from './guarded-fetch.js';
import { resolveSecretMap } from './secret-refs.js';
import { scrubbingFetch } from './secret-scrub.js';

/**
 * A Streamable HTTP connection to a remote server; configured headers (with secrets) are added
 * here and nothing of the agent's request is: its `Authorization` never travels upstream. Every
 * connection passes the SSRF guard unless the server is configured with `allowLinkLocal`. Error
 * answers reach the client with `scrubText` applied (`scrubbingFetch`): the server's own words
 * about a rejected call often quote the credential it was sent.
 */
export function createHttpUpstream(server: HttpServer, secrets: SecretStore, scrubText: (text: string) => string): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: resolveSecretMap(server.headers, secrets) },
    fetch: scrubbingFetch(server.allowLinkLocal ? fetch : guardedFetch(), scrubText),
  });
}
