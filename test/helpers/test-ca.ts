import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway certificate authority and a server certificate it signed, for HTTPS on loopback. */
export interface TestCa {
  /** The CA certificate: give it to clients (`NODE_EXTRA_CA_CERTS`, `ca:`). */
  caPath: string;
  caPem: string;
  /** The server's certificate and key, valid for 127.0.0.1 and localhost. */
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  remove(): void;
}

/**
 * Makes a CA and a server certificate with the system's `openssl` (on every Debian image), so the
 * OIDC provider, the hub and the gateway speak real TLS with a real chain, not disabled checks.
 */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-ca-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Airlock test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path('server.ext'), [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
  ].join('\n'));
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  return {
    caPath: path('ca.pem'),
    caPem: readFileSync(path('ca.pem'), 'utf8'),
    certPath: path('server.pem'),
    keyPath: path('server.key'),
    cert: readFileSync(path('server.pem'), 'utf8'),
    key: readFileSync(path('server.key'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
