import { createMasker, type Masker } from '../masking/mask-engine.js';
import { cutSecrets, secretsToFind } from './secret-scrub.js';

let masker: Masker | undefined;

/**
 * Cleans text a server produces outside MCP messages before anyone sees it: a stderr line bound for
 * Airlock's log, which must never hold a secret, or an HTTP error body, which the client quotes in
 * an error that reaches the log, the agent and the record. The credentials Airlock itself handed the
 * server (`injectedSecretValues`: keychain values and credential-named plain values of its env or
 * headers) are cut out wherever they appear, whatever their shape, and every built-in detector masks
 * the rest (a token a server read from its own config and printed). Independent of the masking
 * policy: no stage of the pipeline sees this text.
 */
export function serverLogRedactor(injectedSecrets: readonly string[]): (line: string) => string {
  const secrets = secretsToFind(injectedSecrets);
  masker ??= createMasker();
  const detectors = masker;
  return (line) => detectors.maskString(cutSecrets(line, secrets));
}
