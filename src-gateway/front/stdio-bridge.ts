import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger.js';
import { errorResponse, GatewayErrorCode } from '../pipeline/rpc-errors.js';

export interface StdioBridgeOptions {
  /** An agent URL: `http://127.0.0.1:<port>/servers/<name>/mcp`, or `…/mcp` for every server. */
  url: URL;
  token: string;
  logger: Logger;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/**
 * Relays an agent's stdio to the running gateway, unchanged, so an agent that can only launch a
 * command gets the same policy and recording as one that speaks HTTP. Resolves when stdin ends.
 */
export async function runStdioBridge({ url, token, logger, stdin = process.stdin, stdout = process.stdout }: StdioBridgeOptions): Promise<void> {
  const agent = new StdioServerTransport(stdin as never, stdout as never);
  const gateway = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  let initializeId: RequestId | undefined;

  agent.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message) && isInitializeRequest(message)) initializeId = message.id;
    gateway.send(message).catch((error: Error) => {
      logger.error('the gateway did not take a message', error);
      // The agent would otherwise wait forever for an answer that will not come.
      if (isJSONRPCRequest(message)) {
        void agent.send(errorResponse(message.id, GatewayErrorCode.serverUnavailable, `Airlock gateway at ${url.origin} is unreachable or refused the call: ${error.message}`));
      }
    });
  };
  gateway.onmessage = (message: JSONRPCMessage) => {
    if (initializeId !== undefined && 'result' in message && message.id === initializeId) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') gateway.setProtocolVersion(version);
    }
    void agent.send(message);
  };
  gateway.onerror = (error) => logger.debug(`gateway stream: ${error.message}`);
  agent.onerror = (error) => logger.error('stdin', error);

  await gateway.start();
  await agent.start();
  await new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  await gateway.terminateSession().catch(() => {});
  await gateway.close();
  await agent.close();
}
