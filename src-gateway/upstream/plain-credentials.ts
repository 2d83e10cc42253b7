/**
 * The credential-name rule. A name (env variable or HTTP header, case-insensitive) names a credential
 * when it contains `token`, `secret`, `key`, `passwd`/`password`, `credential`, `cookie` or `auth`
 * (Authorization, OAuth, X-Auth-Token; not `author`/`authority`), or when one of its words (split at
 * `_`, `-`, `.` and lower-to-upper case) is `pat`, `pass` or `pw`. It goes by the name because a
 * plain value's shape says nothing (a password is any text), and cutting every value would blank
 * ordinary text a server echoes (PATH, LOG_LEVEL=debug, a region). `PWD` is not a credential: it is
 * the working directory.
 */
const CREDENTIAL_PART = /token|secret|key|passw(or)?d|credential|cookie|auth(?!or(?!i[sz]))/i;
const CREDENTIAL_WORD = /^(pat|pass|pw)$/i;
/** `<scheme> <credential>`, as in `Bearer X`, `Basic X`, `token X`. */
const AUTH_SCHEME = /^([A-Za-z][\w.-]*)\s+(\S+)$/;

/** True when `name` names a credential by the rule above. */
export function isCredentialName(name: string): boolean {
  if (CREDENTIAL_PART.test(name)) return true;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).some((word) => CREDENTIAL_WORD.test(word));
}

/**
 * The parts of one credential value a server could echo: the whole value; the credential after an
 * auth scheme (`Bearer X` → X), and for `Basic` the decoded `user:password` and the password; the
 * value of each `name=value` pair of a cookie.
 */
function credentialParts(name: string, value: string): string[] {
  const parts = [value];
  const [, scheme, credential] = AUTH_SCHEME.exec(value.trim()) ?? [];
  if (credential) {
    parts.push(credential);
    const decoded = scheme.toLowerCase() === 'basic' ? Buffer.from(credential, 'base64').toString('utf8') : '';
    if (decoded.includes(':') && Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') === credential.replace(/=+$/, '')) {
      parts.push(decoded, decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  if (/cookie/i.test(name)) for (const pair of value.split(';')) if (pair.includes('=')) parts.push(pair.slice(pair.indexOf('=') + 1).trim());
  return parts;
}

/**
 * The plain credential values of an env or header map (`values` holds no `keychain:` reference:
 * those are resolved and cut as injected secrets): every part of each credential-named value. Too
 * short ones are left to `secretsToFind`, which drops them.
 */
export function plainCredentialValues(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([name, value]) => (isCredentialName(name) ? credentialParts(name, value) : []));
}
