import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgStatusView, SessionView } from '../../../src-gateway/control/contract.js';
import { createFileSecretStore } from '../../../src-gateway/secrets/file-secret-store.js';
import { ORG_TOKENS_SECRET, StoredTokensSchema } from '../../../src-gateway/sync/identity/stored-tokens.js';
import { chromiumMissing, launchChromium } from '../../e2e/browser.js';
import { control } from '../../helpers/control-client.js';
import { AIRLOCK_BIN, fixtureCommand, REPO, runCli, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';
import { startOidcIssuer, type OidcIssuer } from '../../helpers/oidc-issuer.js';
import { completeDeviceLogin } from '../../helpers/oidc-login.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';

const skip = chromiumMissing();
const PASSPHRASE = 'org-login-test-passphrase';
const SECRET_ENV = { AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: PASSPHRASE };

const POLICY = {
  rules: [{ id: 'dba-no-echo', match: { tool: 'echo', group: 'dba' }, action: 'deny', reason: 'DBAs do not echo' }],
};

let ca: TestCa;
let issuer: OidcIssuer;
let browser: Browser;
let gateway: GatewayProcess;
let scratch: string;

/** Runs `airlock login` against the gateway, plays the user in the browser, and returns what the CLI printed. */
async function loginThroughCli(user: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [AIRLOCK_BIN, 'login', '--data-dir', gateway.dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const link = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /\(or open (\S+)\)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`airlock login exited early:\n${stdout}\n${stderr}`)));
  });
  await completeDeviceLogin(browser, link, user);
  return { code: await exited, stdout, stderr };
}

beforeAll(async () => {
  if (skip) return;
  ca = createTestCa();
  issuer = await startOidcIssuer(ca);
  browser = await launchChromium();
  scratch = mkdtempSync(join(tmpdir(), 'airlock-org-login-'));
  writeFileSync(join(scratch, 'policy.json'), JSON.stringify(POLICY));
  gateway = await startGatewayProcess(
    {
      servers: { probe: fixtureCommand('probe-server.ts') },
      policy: join(scratch, 'policy.json'),
      // The hub is not part of sign-in; nothing listens there.
      org: { issuer: issuer.issuer, hub: 'https://127.0.0.1:9/', audience: issuer.audience, caFile: ca.caPath },
    },
    SECRET_ENV,
  );
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await browser?.close();
  await issuer?.stop();
  ca?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(skip)('org sign-in through the CLI', () => {
  it('reports org mode signed out before anyone signs in', async () => {
    const status = await runCli(['org', 'status', '--json', '--data-dir', gateway.dataDir]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ configured: true, issuer: issuer.issuer, identity: null, pendingLogin: null });
  });

  it('signs the gateway in with the device flow; sessions then run as the user with their groups, and group rules apply', async () => {
    issuer.setGroups('ada', ['dba', 'engineering']);
    const login = await loginThroughCli('ada');
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('Signed in as ada@example.test (groups: dba, engineering)');

    const status = (await control<OrgStatusView>(gateway, 'GET', '/control/org')).data;
    expect(status.identity).toMatchObject({ subject: 'ada', email: 'ada@example.test', groups: ['dba', 'engineering'] });

    const client = await gateway.connect('probe');
    const denied = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    expect(denied.isError).toBe(true);
    expect((denied.content as Array<{ text: string }>)[0].text).toContain('rule dba-no-echo');

    const sessions = (await control<{ items: SessionView[] }>(gateway, 'GET', '/control/sessions')).data.items;
    expect(sessions[0]).toMatchObject({ server: 'probe', user: 'ada@example.test', groups: ['dba', 'engineering'] });
  });

  it('keeps the tokens in the secret store only: never in the database or the gateway log', () => {
    const stored = createFileSecretStore({ dataDir: gateway.dataDir, passphrase: PASSPHRASE }).get(ORG_TOKENS_SECRET);
    const tokens = StoredTokensSchema.parse(JSON.parse(stored!));
    expect(tokens.refreshToken).toBeTruthy();
    const dbFiles = readdirSync(gateway.dataDir).filter((name) => name.startsWith('airlock.db'));
    expect(dbFiles.length).toBeGreaterThan(0);
    for (const file of dbFiles) {
      const bytes = readFileSync(join(gateway.dataDir, file)).toString('latin1');
      expect(bytes.includes(tokens.accessToken)).toBe(false);
      expect(bytes.includes(tokens.refreshToken!)).toBe(false);
    }
    expect(gateway.output().includes(tokens.accessToken)).toBe(false);
    expect(gateway.output().includes(tokens.refreshToken!)).toBe(false);
  });

  it('signs out through the CLI: the identity is gone and new sessions run as nobody', async () => {
    const logout = await runCli(['logout', '--data-dir', gateway.dataDir]);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`signed out of ${issuer.issuer}`);
    expect(createFileSecretStore({ dataDir: gateway.dataDir, passphrase: PASSPHRASE }).get(ORG_TOKENS_SECRET)).toBeUndefined();

    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    expect(result.isError).toBeFalsy();
    const sessions = (await control<{ items: SessionView[] }>(gateway, 'GET', '/control/sessions')).data.items;
    expect(sessions[0]).toMatchObject({ user: null, groups: [] });
  });
});
