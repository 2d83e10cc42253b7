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
 * those are resolved and cut as injected secrets): every part of each credential-named value, and
 * the credentials embedded in any value (`embeddedCredentials`). Too short ones are left to
 * `secretsToFind`, which drops them.
 */
export function plainCredentialValues(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([name, value]) => [...(isCredentialName(name) ? credentialParts(name, value) : []), ...embeddedCredentials(value)]);
}

/** A URL inside a value: scheme, `://`, then anything up to whitespace or a quote. */
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s'"<>]+/g;

/**
 * Credentials written inside a value whatever its name: the password of a URL
 * (`DATABASE_URL=postgres://app:pw@db/app`) and its credential-named query parameters
 * (`?api_key=…`), raw and decoded.
 */
export function embeddedCredentials(value: string): string[] {
  const found: string[] = [];
  for (const [text] of value.matchAll(URL_IN_TEXT)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      continue;
    }
    if (url.password) found.push(url.password, safeDecode(url.password));
    for (const [name, param] of url.searchParams) if (param && isCredentialName(name)) found.push(param, encodeURIComponent(param));
  }
  return found;
}

/**
 * Credentials in a stdio server's arguments: the value of a credential-named flag (`--token X`,
 * `--api-key=X`, `-password X`; not `--key-file`, whose value is a path) and those embedded in any
 * argument.
 */
export function argumentCredentials(args: readonly string[]): string[] {
  const found: string[] = [];
  args.forEach((arg, index) => {
    found.push(...embeddedCredentials(arg));
    const flag = /^--?([A-Za-z][\w.-]*)(?:=(.*))?$/s.exec(arg);
    if (!flag || !isCredentialName(flag[1]) || /(file|path|dir)$/i.test(flag[1])) return;
    const value = flag[2] ?? args[index + 1];
    if (value !== undefined && (flag[2] !== undefined || !value.startsWith('-'))) found.push(value);
  });
  return found;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
