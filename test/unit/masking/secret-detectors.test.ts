import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import { found } from './detector-findings.js';

// Fabricated values in the providers' formats; none is a real credential.
const GITHUB = 'ghp_R2d2C3poBb8Yoda1Luke2Leia3Han4Solo56';
const PAT = `github_pat_11ABCDEFG0123456789abcde_${'xY7'.repeat(19)}Q9`;
const GOOGLE = 'AIzaSyD4a9Xk2Lm7Qp0Rs5Tu8Vw1Yz3Bc6De9Fg';
const NPM = 'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE9q';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzEyMyIsImV4cCI6MTcxNzAwMDAwMH0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA1x2y3z4', 'q1w2e3r4t5y6u7i8o9p0==', '-----END RSA PRIVATE KEY-----'].join('\n');

describe('provider tokens', () => {
  it.each([
    ['github-token', `token ${GITHUB} here`, [GITHUB]],
    ['github-token', PAT, [PAT]],
    ['gitlab-token', 'glpat-Ab3dEf6hIj9kLm2nOp5q', ['glpat-Ab3dEf6hIj9kLm2nOp5q']],
    ['slack-token', 'xoxb-12345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', ['xoxb-12345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx']],
    ['stripe-key', 'sk_live_51H8xYzAbCdEfGhIjKlMnOp', ['sk_live_51H8xYzAbCdEfGhIjKlMnOp']],
    ['stripe-key', 'rk_live_Ab12Cd34Ef56Gh78Ij90', ['rk_live_Ab12Cd34Ef56Gh78Ij90']],
    ['openai-key', 'OPENAI_API_KEY=sk-proj-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0EfT3BlbkFJ', ['sk-proj-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0EfT3BlbkFJ']],
    ['anthropic-key', 'sk-ant-api03-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef-x_AA', ['sk-ant-api03-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef-x_AA']],
    ['google-api-key', `key=${GOOGLE}&q=1`, [GOOGLE]],
    ['npm-token', `//registry.npmjs.org/:_authToken=${NPM}`, [NPM]],
    ['aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A', ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A']],
    ['jwt', `Authorization: Bearer ${JWT}`, [JWT]],
    ['private-key', `key:\n${PEM}\nend`, [PEM]],
  ])('%s finds the token in %j', (detector, text, expected) => {
    expect(found(detector, text)).toEqual(expected);
  });

  it.each([
    ['github-token', 'ghp_...', 'a truncated example'],
    ['github-token', `x${GITHUB}`, 'inside a longer word'],
    ['openai-key', 'sk-learn-compatible-estimator-pipeline', 'a word, not random'],
    ['openai-key', 'sk-ant-api03-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef-x_AA', 'an Anthropic key'],
    ['openai-key', 'task-Ab3De6Gh9Jk2Mn5Pq8St1Vw4', 'not at a word start'],
    ['google-api-key', `${GOOGLE}x`, 'longer than 39'],
    ['npm-token', 'npm_short', 'too short'],
    ['aws-access-key-id', 'AKIA1234', 'too short'],
    ['aws-access-key-id', 'XAKIAIOSFODNN7EXAMPLE', 'inside a longer word'],
    ['jwt', 'eyJwYWdlIjoyLCJhZnRlciI6IjEyMzQ1In0', 'a one-part cursor'],
    ['slack-token', 'xoxb-your-bot-token-here', 'no digits'],
    ['stripe-key', 'cus_NffrFeUfNV2Hib', 'a Stripe object id'],
    ['private-key', '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----', 'a public key'],
  ])('%s finds nothing in %j (%s)', (detector, text) => {
    expect(found(detector, text)).toEqual([]);
  });

  it('masks a key block cut short, through the key material that is there', () => {
    const text = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nq1w2e3r4==\n';
    expect(found('private-key', text)).toEqual([text.trimEnd()]);
  });

  it('masks a key block written into JSON text with escaped newlines', () => {
    const text = JSON.stringify({ key: PEM });
    expect(found('private-key', text)).toEqual([JSON.stringify(PEM).slice(1, -1)]);
  });
});

describe('aws-secret-key', () => {
  it.each([
    [`aws_secret_access_key = ${AWS_SECRET}`],
    [`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`],
    [`"SecretAccessKey": "${AWS_SECRET}"`],
    [`secret_access_key: '${AWS_SECRET}'`],
  ])('masks only the value in %j', (text) => {
    expect(found('aws-secret-key', text)).toEqual([AWS_SECRET]);
  });

  it.each([
    [AWS_SECRET, 'no key name'],
    [`sha1 = ${'da39a3ee5e6b4b0d3255bfef95601890afd80709'}`, 'a hash under another name'],
    [`aws_secret_access_key = ${'A'.repeat(40)}`, 'no entropy'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('aws-secret-key', text)).toEqual([]);
  });
});

describe('azure-connection-string', () => {
  const storage = `DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${'Ab3+De6/'.repeat(11)}==;EndpointSuffix=core.windows.net`;
  const bus = 'Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef3Gh6Jk9Mn2P=';

  it.each([[`conn: ${storage}.`, storage], [bus, bus], [`"${bus};EntityPath=orders"`, `${bus};EntityPath=orders`]])(
    'finds the whole connection string in %j',
    (text, expected) => {
      expect(found('azure-connection-string', text)).toEqual([expected]);
    },
  );

  it.each([
    ['DefaultEndpointsProtocol=https;AccountName=acmeprod;EndpointSuffix=core.windows.net', 'no key'],
    ['DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=<key>', 'a placeholder key'],
    ['Endpoint=https://example.com/api', 'not Azure'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('azure-connection-string', text)).toEqual([]);
  });
});

describe('password-assignment', () => {
  it.each([
    ['password=hunter22', ['hunter22']],
    ['passwd: "s3cr3t!x"', ['s3cr3t!x']],
    ['DB_PASSWORD=Tr0ub4dor&3 next', ['Tr0ub4dor']],
    ['"password": "correct horse battery staple"', ['correct horse battery staple']],
    ["client_secret = 'Zx8vQ2mN4pL6'", ['Zx8vQ2mN4pL6']],
    ['SESSION_SECRET=8f3a9c2e7b1d4f60', ['8f3a9c2e7b1d4f60']],
    ['https://api.example.com/v1?api_key=Ab3De6Gh9Jk2&page=2', ['Ab3De6Gh9Jk2']],
    ['login failed for user=ana password=Qw7!rT9#z from 10.0.0.1', ['Qw7!rT9#z']],
    ['Server=tcp:sql;Database=orders;Password=Xy9!kL3mN0;Encrypt=True', ['Xy9!kL3mN0']],
    ['{"password": "Zx8\\"vQ2mN", "user": "ana"}', ['Zx8\\"vQ2mN']],
  ])('masks only the value in %j', (text, expected) => {
    expect(found('password-assignment', text)).toEqual(expected);
  });

  it.each([
    ['password=<your-password>'],
    ['password: ${DB_PASSWORD}'],
    ['DB_PASSWORD=$DB_PASSWORD'],
    ['password = "{{ vault.db_password }}"'],
    ['"password": "****"'],
    ['password=********'],
    ['"password": "REDACTED"'],
    ['"password": null'],
    ['password=changeme'],
    ['ADMIN_PASSWORD=[REDACTED]'],
    ['password: process.env.DB_PASSWORD,'],
    ['"PASSWORD": os.environ.get("DB_PASSWORD", "")'],
    ['api_key: your-api-key-here'],
    ['token=abc'],
    ['password=aaaaaaaa'],
    ['secret: keychain:airlock/github'],
    ['"nextPageToken": "CiAKGjBpNDd2Nmp2Zml6"'],
    ['max_tokens: 4096'],
    ['password_policy: strict'],
  ])('finds nothing in %j', (text) => {
    expect(found('password-assignment', text)).toEqual([]);
  });

  it('masks the value under a secret key of structured content, and leaves cursors and placeholders', () => {
    const { value } = createMasker({ detectors: ['password-assignment'] }).maskValue({
      password: 'hunter22',
      dbPassword: 'Zx8vQ2mN4pL6',
      refresh_token: 'Ab3De6Gh9Jk2Mn5',
      nextPageToken: 'CiAKGjBpNDd2Nmp2Zml6',
      smtp: { password: '${SMTP_PASSWORD}' },
    });
    expect(value).toEqual({
      password: '[SECRET]',
      dbPassword: '[SECRET]',
      refresh_token: '[SECRET]',
      nextPageToken: 'CiAKGjBpNDd2Nmp2Zml6',
      smtp: { password: '${SMTP_PASSWORD}' },
    });
  });
});

describe('database-url', () => {
  it.each([
    ['postgres://app:s3cretPw@db.internal:5432/orders', 'postgres://app:s3cretPw@db.internal:5432/orders'],
    ['DATABASE_URL=postgresql://orders_rw:Xy9kL3%21@10.0.0.5:5432/app?sslmode=require.', 'postgresql://orders_rw:Xy9kL3%21@10.0.0.5:5432/app?sslmode=require'],
    ['mongodb+srv://etl:Pw12345678@cluster0.mongodb.net/app?retryWrites=true', 'mongodb+srv://etl:Pw12345678@cluster0.mongodb.net/app?retryWrites=true'],
    ['"url": "redis://:Ab3De6Gh9@cache:6379/0"', 'redis://:Ab3De6Gh9@cache:6379/0'],
    ['jdbc:sqlserver://sa:Pw12345678@sql:1433/orders', 'sqlserver://sa:Pw12345678@sql:1433/orders'],
  ])('finds the whole URL in %j', (text, expected) => {
    expect(found('database-url', text)).toEqual([expected]);
  });

  it.each([
    ['postgres://app@db.internal:5432/orders', 'no password'],
    ['redis://cache:6379/0', 'no credentials'],
    ['mongodb://mongo-0.mongo:27017,mongo-1.mongo:27017/app?replicaSet=rs0', 'ports, not a password'],
    ['https://user:pass1234@example.com/', 'not a database scheme'],
    ['postgres://app:${DB_PASSWORD}@db/orders', 'a placeholder password'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('database-url', text)).toEqual([]);
  });
});
