import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { HttpServer } from '../config/config-schema.js';
import type { SecretReader } from '../secrets/secret-store.js';
import { guardedFetch } from './guarded-fetch.js';
import { RequestStreams } from './request-streams.js';
import { resolveSecretMap } from './secret-refs.js';
import { scrubbingFetch } from './secret-scrub.js';

/**
 * A Streamable HTTP connection to a remote server; configured headers (with secrets) are added
 * here and nothing of the agent's request is: its `Authorization` never travels upstream. Every
 * connection passes the SSRF guard unless the server is configured with `allowLinkLocal`. Error
 * answers reach the client with `scrubText` applied (`scrubbingFetch`): the server's own words
 * about a rejected call often quote the credential it was sent.
 */
export function createHttpUpstream(server: HttpServer, secrets: SecretReader, scrubText: (text: string) => string): StreamableHTTPClientTransport {
  const streams = new RequestStreams();
  return new ReleasingTransport(streams, new URL(server.url), {
    requestInit: { headers: resolveSecretMap(server.headers, secrets) },
    fetch: streams.track(scrubbingFetch(server.allowLinkLocal ? fetch : guardedFetch(), scrubText)),
  });
}

/** Lets go of a request's answer stream once its cancellation went out (the server will not answer it). */
class ReleasingTransport extends StreamableHTTPClientTransport {
  constructor(private readonly streams: RequestStreams, ...args: ConstructorParameters<typeof StreamableHTTPClientTransport>) {
    super(...args);
  }

  override async send(message: JSONRPCMessage, options?: Parameters<StreamableHTTPClientTransport['send']>[1]): Promise<void> {
    await super.send(message, options);
    this.streams.releaseCancelled(message);
  }
}
