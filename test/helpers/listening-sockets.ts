import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface OpenSocket {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  address: string;
  port: number;
  /** True for TCP sockets in LISTEN state and for every bound UDP socket. */
  listening: boolean;
}

/**
 * The sockets a Linux process holds, from `/proc`: its fd links name socket inodes, and the net
 * tables of its namespace give each inode's local address. (Another process's sockets in the same
 * namespace are not counted: only inodes this pid has open.)
 */
export function socketsOf(pid: number): OpenSocket[] {
  const inodes = socketInodes(pid);
  const sockets: OpenSocket[] = [];
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    const lines = readFileSync(`/proc/${pid}/net/${protocol}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = fields[1].split(':');
      if (!inodes.has(fields[9])) continue;
      const state = fields[3];
      sockets.push({ protocol, address: decodeAddress(hexAddress), port: parseInt(hexPort, 16), listening: protocol.startsWith('udp') || state === '0A' });
    }
  }
  return sockets;
}

/** TCP connections a Linux process holds open (ESTABLISHED) to a remote port, from `/proc` as above. */
export function connectionsTo(pid: number, remotePort: number): number {
  const inodes = socketInodes(pid);
  let count = 0;
  for (const protocol of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${protocol}`, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '01' && inodes.has(fields[9]) && parseInt(fields[2].split(':')[1], 16) === remotePort) count++;
    }
  }
  return count;
}

/** The inodes of the sockets `pid` has open: its fd links name them. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // The fd closed while we looked.
    }
  }
  return inodes;
}

/** `/proc/net` addresses are 32-bit words in host (little-endian) byte order. */
function decodeAddress(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const chunk = hex.slice(word, word + 8);
    for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(chunk.slice(i, i + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(address);
}
