import { createMasker, type Masker } from '../masking/mask-engine.js';
import { cutSecrets, secretsToFind } from './secret-scrub.js';

let masker: Masker | undefined;

/**
 * Cleans a server's stderr line before it reaches Airlock's log, which must never hold a secret:
 * the values Airlock itself handed the server from the keychain are cut out wherever they appear,
 * whatever their shape, and every built-in detector masks the rest (a token a server read from
 * its own config and printed). Independent of the masking policy: this is Airlock's log, not the
 * agent's traffic.
 */
export function serverLogRedactor(injectedSecrets: readonly string[]): (line: string) => string {
  const secrets = secretsToFind(injectedSecrets);
  masker ??= createMasker();
  const detectors = masker;
  return (line) => detectors.maskString(cutSecrets(line, secrets));
}
