import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFromSecret, unseal } from '../../../src-gateway/store/sealed-originals.js';
import { queryStore, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

const KEY_SECRET = 'auditor-key-never-in-the-store';

function policy(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'airlock-sealed-')), 'policy.json');
  writeFileSync(file, JSON.stringify({ rules: [], masking: { rules: [{ match: { server: 'demo' }, keepOriginal: true }] } }));
  return file;
}

describe('sealed originals of masked messages', () => {
  let keyed: GatewayProcess;
  let keyless: GatewayProcess;
  const demo = { command: 'airlock', args: ['demo-server'] };

  beforeAll(async () => {
    [keyed, keyless] = await Promise.all([
      startGatewayProcess({ servers: { demo }, policy: policy() }, { AIRLOCK_SECRET_ORIGINALS_KEY: KEY_SECRET }),
      startGatewayProcess({ servers: { demo }, policy: policy() }),
    ]);
  });
  afterAll(async () => Promise.all([keyed?.stop(), keyless?.stop()]));

  it('keeps the original sealed when the policy says so, openable only with the key', async () => {
    const client = await keyed.connect('demo');
    await client.callTool({ name: 'get_customer', arguments: { id: 'cus_0001' } });
    const [row] = queryStore<{ body: string; original_sealed: string }>(keyed.dataDir, "SELECT body, original_sealed FROM messages WHERE tool = 'get_customer' AND direction = 'to-agent'");
    expect(row.body).not.toMatch(/@redwood\.example/);
    expect(row.original_sealed).not.toMatch(/@/);
    expect(unseal(row.original_sealed, keyFromSecret(KEY_SECRET))).toMatch(/eoconnor@redwood\.example/);
    expect(keyed.output()).not.toContain(KEY_SECRET);
  });

  it('keeps nothing, says so, and still records the masked message without a key', async () => {
    const client = await keyless.connect('demo');
    const result = await client.callTool({ name: 'get_customer', arguments: { id: 'cus_0001' } });
    expect(result.isError).toBeFalsy();
    const [row] = queryStore<{ body: string; original_sealed: string | null }>(keyless.dataDir, "SELECT body, original_sealed FROM messages WHERE tool = 'get_customer' AND direction = 'to-agent'");
    expect(row.original_sealed).toBeNull();
    expect(row.body).toContain('<email_');
    expect(keyless.output()).toMatch(/keeps originals of masked messages, but secret "originals-key" is not set \(set AIRLOCK_SECRET_ORIGINALS_KEY\)/);
  });
});
