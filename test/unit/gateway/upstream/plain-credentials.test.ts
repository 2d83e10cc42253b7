import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createEnvSecretStore } from '../../../../src-gateway/secrets/env-secret-store.js';
import { argumentCredentials, embeddedCredentials, isCredentialName, plainCredentialValues } from '../../../../src-gateway/upstream/plain-credentials.js';
import { injectedSecretValues } from '../../../../src-gateway/upstream/secret-refs.js';
import { scrubbingFetch, secretScrubber } from '../../../../src-gateway/upstream/secret-scrub.js';

const echo = (text: string) => ({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text }] } }) as JSONRPCMessage;
const textOf = (message: JSONRPCMessage) => (message as unknown as { result: { content: Array<{ text: string }> } }).result.content[0].text;

describe('the credential-name rule for plain config values', () => {
  it.each([
    'Authorization',
    'proxy-authorization',
    'Cookie',
    'X-Api-Key',
    'X-Auth-Token',
    'Ocp-Apim-Subscription-Key',
    'GITHUB_TOKEN',
    'OPENAI_API_KEY',
    'CLIENT_SECRET',
    'DB_PASSWORD',
    'MYSQL_PASSWD',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'BASIC_AUTH',
    'OAUTH_CLIENT',
    'GH_PAT',
    'githubPat',
    'SMTP_PASS',
    'DB_PW',
  ])('counts %s as a credential', (name) => {
    expect(isCredentialName(name)).toBe(true);
  });

  it.each(['PATH', 'LOG_LEVEL', 'HOME', 'PWD', 'GIT_AUTHOR_NAME', 'AUTHORITY', 'PASSTHROUGH', 'PATTERN', 'Accept', 'X-Region', 'NODE_ENV'])(
    'does not count %s as a credential',
    (name) => {
      expect(isCredentialName(name)).toBe(false);
    },
  );
});

describe('plain credential values', () => {
  it('takes every credential-named value and nothing else', () => {
    const env = { GITHUB_TOKEN: 'ghp-plain-value-1', PATH: '/usr/local/bin:/usr/bin', LOG_LEVEL: 'verbose-debug', REGION: 'eu-central-1' };
    expect(plainCredentialValues(env)).toEqual(['ghp-plain-value-1']);
  });

  it('takes the whole Authorization value and the credential after its scheme; for Basic also the decoded user:password and password', () => {
    expect(plainCredentialValues({ Authorization: 'Bearer opaque-b34rer' })).toEqual(['Bearer opaque-b34rer', 'opaque-b34rer']);
    const basic = Buffer.from('robot:hunter2-pl41n').toString('base64');
    expect(plainCredentialValues({ 'Proxy-Authorization': `Basic ${basic}` })).toEqual([`Basic ${basic}`, basic, 'robot:hunter2-pl41n', 'hunter2-pl41n']);
  });

  it('takes each value of a cookie header', () => {
    expect(plainCredentialValues({ Cookie: 'sid=s3ss10n-v4lue; theme=dark' })).toEqual(['sid=s3ss10n-v4lue; theme=dark', 's3ss10n-v4lue', 'dark']);
  });
});

describe('cutting plain config credentials from what a server sends', () => {
  const store = createEnvSecretStore({ AIRLOCK_SECRET_REMOTE: 'k3ych41n-value' });

  it('cuts a credential-named plain env value and leaves LOG_LEVEL and PATH values readable', () => {
    const env = { SERVICE_TOKEN: 'sh4peless-pl41n', LOG_LEVEL: 'verbose-debug', PATH: '/opt/tool/bin' };
    const scrub = secretScrubber(injectedSecretValues(env, store));
    expect(textOf(scrub(echo('token sh4peless-pl41n, level verbose-debug, path /opt/tool/bin')))).toBe('token [SECRET], level verbose-debug, path /opt/tool/bin');
  });

  it('cuts a plain Authorization header whole and its bearer credential alone', () => {
    const scrub = secretScrubber(injectedSecretValues({ Authorization: 'Bearer sh4peless-b34rer', Accept: 'application/json' }, store));
    expect(textOf(scrub(echo('got "Bearer sh4peless-b34rer"; the token sh4peless-b34rer is unknown; accept application/json')))).toBe(
      'got "[SECRET]"; the token [SECRET] is unknown; accept application/json',
    );
  });

  it('treats a value holding a keychain reference as injected, not plain: the referenced value is cut, not the reference text', () => {
    expect(injectedSecretValues({ Authorization: 'Bearer keychain:remote', API_KEY: 'pl41n-k3y-value' }, store)).toEqual(['k3ych41n-value', 'pl41n-k3y-value']);
  });

  it('keeps the minimum length: a short credential value is not cut from ordinary text', () => {
    const scrub = secretScrubber(injectedSecretValues({ API_KEY: 'abc' }, store));
    const message = echo('abc is the alphabet');
    expect(scrub(message)).toBe(message);
  });
});

describe('HTTP error answers', () => {
  it('reach the client with the credentials cut from their body and status text, status and headers kept', async () => {
    const answer = new Response('invalid token Bearer sh4peless-b34rer', { status: 401, statusText: 'no sh4peless-b34rer', headers: { 'www-authenticate': 'Bearer' } });
    const fetch = scrubbingFetch(async () => answer, (text) => text.split('sh4peless-b34rer').join('[SECRET]'));
    const response = await fetch('http://127.0.0.1/mcp');
    expect({ status: response.status, statusText: response.statusText, auth: response.headers.get('www-authenticate'), body: await response.text() }).toEqual({
      status: 401,
      statusText: 'no [SECRET]',
      auth: 'Bearer',
      body: 'invalid token Bearer [SECRET]',
    });
  });

  it('leave a successful answer untouched', async () => {
    const answer = new Response('ok sh4peless-b34rer', { status: 200 });
    expect(await scrubbingFetch(async () => answer, () => 'cut')('http://127.0.0.1/mcp')).toBe(answer);
  });
});

describe('credentials written into URLs and arguments', () => {
  it('finds a URL password and credential-named query parameters in any value, raw and decoded', () => {
    expect(embeddedCredentials('postgres://app:s3cr%40t-pw@db.internal:5432/app')).toEqual(['s3cr%40t-pw', 's3cr@t-pw']);
    expect(embeddedCredentials('see https://api.example.com/v1?region=eu&api_key=abc123def&page=2 for more')).toEqual(['abc123def', 'abc123def']);
    expect(embeddedCredentials('https://example.com/path?q=plain')).toEqual([]);
    expect(embeddedCredentials('not a url: key=value')).toEqual([]);
  });

  it('finds the values of credential-named flags, in both spellings, but not of path flags', () => {
    expect(argumentCredentials(['--token', 'tok-123456', '--verbose'])).toEqual(['tok-123456']);
    expect(argumentCredentials(['--api-key=key-abcdef', '--region', 'eu-west-1'])).toEqual(['key-abcdef']);
    expect(argumentCredentials(['--password', '--next'])).toEqual([]);
    expect(argumentCredentials(['--key-file', '/etc/app/key.pem', '--token-path=/run/token'])).toEqual([]);
    expect(argumentCredentials(['serve', 'mysql://root:r00t-pw@127.0.0.1/db'])).toEqual(['r00t-pw', 'r00t-pw']);
  });

  it('cuts a DATABASE_URL password a server echoes, leaving the rest of the URL', () => {
    const injected = injectedSecretValues({ DATABASE_URL: 'postgres://app:url-pw-7e6d5c@db.internal/app' }, createEnvSecretStore({}));
    const scrub = secretScrubber(injected);
    expect(textOf(scrub(echo('connected to postgres://app:url-pw-7e6d5c@db.internal/app')))).toBe('connected to postgres://app:[SECRET]@db.internal/app');
  });
});
