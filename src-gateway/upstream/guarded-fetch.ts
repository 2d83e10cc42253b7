import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { lookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { blockedAddressReason, BlockedUpstreamAddressError } from './address-guard.js';

type Resolve = (hostname: string, options: { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A lookup that resolves like `dns.lookup`, then refuses the name if any of its addresses is
 * blocked: a name with one harmless and one metadata address is how DNS rebinding slips past a
 * check done once. `resolve` is replaceable so tests need no DNS server.
 */
export const guardedLookup = (resolve: Resolve = lookup): LookupFunction => (hostname, options, callback) => {
  resolve(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    for (const { address } of addresses) {
      const why = blockedAddressReason(address);
      if (why) return callback(new BlockedUpstreamAddressError(hostname, address, why), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * A connector that checks every address at the moment it is connected to (so redirects and
 * re-resolution are covered): literal IPs here, names in `guardedLookup`.
 */
function guardedConnector(): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup() });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    const why = isIP(host) ? blockedAddressReason(host) : undefined;
    if (why) return callback(new BlockedUpstreamAddressError(host, host, why), null);
    return connect(options, callback);
  };
}

let sharedAgent: Agent | undefined;

/**
 * `fetch` for remote MCP servers behind the SSRF guard. One agent serves every guarded upstream,
 * so connections are pooled across sessions as with the global fetch.
 */
export function guardedFetch(): FetchLike {
  sharedAgent ??= new Agent({ connect: guardedConnector() });
  const dispatcher = sharedAgent;
  return async (url, init) => {
    try {
      return (await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response;
    } catch (error) {
      // fetch reports every network failure as "fetch failed"; the user needs to read why this one was refused.
      const cause = (error as Error).cause;
      throw cause instanceof BlockedUpstreamAddressError ? cause : error;
    }
  };
}
