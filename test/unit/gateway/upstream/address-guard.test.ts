import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddressReason } from '../../../../src-gateway/upstream/address-guard.js';
import { guardedFetch, guardedLookup } from '../../../../src-gateway/upstream/guarded-fetch.js';

/** The host part as the gateway sees it: WHATWG URL parsing first, as `new URL(server.url)` does. */
const hostOf = (url: string) => new URL(url).hostname;

describe('the upstream address guard', () => {
  it.each([
    '169.254.169.254', // AWS, GCP, Azure, OCI, DigitalOcean metadata
    '169.254.170.2', // ECS task credentials
    '100.100.100.200', // Alibaba Cloud metadata
    '168.63.129.16', // Azure WireServer
    'fd00:ec2::254', // AWS metadata over IPv6
    'fe80::1',
    'FE80::a9fe:a9fe%eth0',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '[::ffff:a9fe:a9fe]',
    '64:ff9b::169.254.169.254',
    '0.0.0.0',
    '::',
    '224.0.0.251',
    'ff02::1',
    '255.255.255.255',
  ])('refuses %s', (address) => {
    expect(blockedAddressReason(address)).toBeDefined();
  });

  it.each([
    'http://2852039166/',
    'http://0xA9FEA9FE/',
    'http://0251.0376.0251.0376/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://169.254.43518/',
    'http://169.254.169.254./',
    'http://[::ffff:169.254.169.254]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]:80/',
  ])('refuses the metadata address written as %s', (url) => {
    expect(blockedAddressReason(hostOf(url))).toMatch(/link-local/);
  });

  it.each(['127.0.0.1', '::1', '[::1]', '10.0.0.5', '172.16.0.1', '192.168.1.10', '8.8.8.8', '2606:4700::1111', '::ffff:127.0.0.1', '::ffff:10.0.0.1'])(
    'lets %s through (loopback, private networks and the internet are ordinary upstreams)',
    (address) => {
      expect(blockedAddressReason(address)).toBeUndefined();
    },
  );

  it('refuses anything that is not an IP address, since only addresses are about to be connected to', () => {
    expect(blockedAddressReason('metadata.google.internal')).toBe('not an IP address');
  });

  it('refuses every link-local IPv4 address in every notation, and no address outside the blocked ranges', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const linkLocal = fc.tuple(octet, octet).map(([c, d]) => [169, 254, c, d]);
    const hex = ([a, b, c, d]: number[]) => `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    let cases = 0;
    fc.assert(
      fc.property(linkLocal, (parts) => {
        const dotted = parts.join('.');
        for (const written of [dotted, `::ffff:${dotted}`, `::ffff:${hex(parts)}`, `64:ff9b::${dotted}`, hostOf(`http://${parts.reduce((n, p) => n * 256 + p, 0)}/`)]) {
          cases += 1;
          expect(blockedAddressReason(written)).toBeDefined();
        }
      }),
      { numRuns: 2000 },
    );
    const ordinary = fc.tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet).filter(([a, b]) => !(a === 169 && b === 254) && !(a === 100 && b === 100) && !(a === 168 && b === 63));
    fc.assert(
      fc.property(ordinary, (parts) => {
        cases += 2;
        expect(blockedAddressReason(parts.join('.'))).toBeUndefined();
        expect(blockedAddressReason(`::ffff:${parts.join('.')}`)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
    console.log(`address guard: ${cases} addresses classified`);
  });
});

describe('the guarded fetch for remote servers', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else res.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const failure = async (url: string) => {
    const error = await guardedFetch()(url).then(() => undefined, (e: Error) => e);
    return (error?.cause as Error | undefined)?.message ?? error?.message;
  };

  it('reaches a server on loopback', async () => {
    expect(await (await guardedFetch()(`http://127.0.0.1:${port}/`)).text()).toBe('reached');
  });

  it('refuses a metadata address before connecting, whatever its notation', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://[::ffff:a9fe:a9fe]/', 'http://[fd00:ec2::254]/']) {
      expect(await failure(url)).toMatch(/refused to connect .*allowLinkLocal/);
    }
  });

  it('refuses 0.0.0.0, which Linux would route to this machine', async () => {
    expect(await failure(`http://0.0.0.0:${port}/`)).toMatch(/refused to connect to 0\.0\.0\.0: unspecified/);
  });

  it('refuses a redirect from an allowed server to the metadata service', async () => {
    expect(await failure(`http://127.0.0.1:${port}/redirect`)).toMatch(/refused to connect to 169\.254\.169\.254/);
  });

  it('refuses a name when any of its addresses is blocked (DNS rebinding)', async () => {
    const lookup = guardedLookup((_name, _options, callback) => callback(null, [{ address: '10.0.0.7', family: 4 }, { address: '169.254.169.254', family: 4 }]));
    const error = await new Promise<Error | null>((resolve) => lookup('rebind.example', { all: true }, (e) => resolve(e)));
    expect(error?.message).toMatch(/refused to connect to rebind\.example \(169\.254\.169\.254\): link-local/);
    const fine = guardedLookup((_name, _options, callback) => callback(null, [{ address: '10.0.0.7', family: 4 }]));
    const answer = await new Promise<unknown>((resolve) => fine('lan.example', {}, (e, address) => resolve(e ?? address)));
    expect(answer).toBe('10.0.0.7');
  });
});
