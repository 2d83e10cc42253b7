import { BlockList, isIP } from 'node:net';

/**
 * Addresses an upstream URL must not reach unless its server is configured with
 * `allowLinkLocal: true`: the cloud metadata services (which hand out credentials to whoever asks
 * from the machine, the classic SSRF prize) and other addresses no MCP server lives on. Loopback
 * and private networks stay reachable: local and LAN servers are ordinary upstreams.
 */
const BLOCKED_V4: ReadonlyArray<readonly [network: string, prefix: number, why: string]> = [
  ['169.254.0.0', 16, 'link-local (cloud metadata service)'],
  ['100.100.100.200', 32, 'cloud metadata service (Alibaba Cloud)'],
  ['168.63.129.16', 32, 'cloud platform service (Azure WireServer)'],
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];

const BLOCKED_V6: ReadonlyArray<readonly [network: string, prefix: number, why: string]> = [
  ['fe80::', 10, 'link-local'],
  ['fd00:ec2::254', 128, 'cloud metadata service (AWS IPv6)'],
  ['::', 128, 'unspecified'],
  ['ff00::', 8, 'multicast'],
];

/**
 * IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped and
 * NAT64. (The deprecated IPv4-compatible `::a.b.c.d` form is left out: it is never routed to IPv4,
 * and its `0.0.0.0/8` would cover `::1`.)
 */
const V4_IN_V6 = ['::ffff:', '64:ff9b::'];

const RULES: ReadonlyArray<{ list: BlockList; why: string }> = [
  ...BLOCKED_V4.map(([network, prefix, why]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, 'ipv4');
    for (const embed of V4_IN_V6) list.addSubnet(`${embed}${network}`, 96 + prefix, 'ipv6');
    return { list, why };
  }),
  ...BLOCKED_V6.map(([network, prefix, why]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, 'ipv6');
    return { list, why };
  }),
];

/**
 * Why an IP address is not a permitted upstream destination, or undefined when it is. Anything
 * that is not a literal IP address (a host name, garbage) is refused too: this is asked about
 * addresses that are about to be connected to, never about names.
 */
export function blockedAddressReason(address: string): string | undefined {
  // Zone ids (`fe80::1%eth0`) and URL brackets (`[::1]`) are not part of the address.
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return RULES.find(({ list }) => list.check(bare, type))?.why;
}

/** The error a connection to a blocked address fails with; its message tells the user what to change. */
export class BlockedUpstreamAddressError extends Error {
  readonly code = 'AIRLOCK_UPSTREAM_ADDRESS_BLOCKED';

  constructor(host: string, address: string, why: string) {
    const target = host === address ? address : `${host} (${address})`;
    super(`refused to connect to ${target}: ${why} addresses are blocked for remote servers; set "allowLinkLocal": true on the server if it really lives there`);
  }
}
