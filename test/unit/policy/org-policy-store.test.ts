import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src-gateway/logger.js';
import type { CallDescription } from '../../../src-gateway/policy/compile-policy.js';
import { PolicyStore, type OrgPolicy, type PolicyStatus } from '../../../src-gateway/policy/policy-store.js';
import { PolicySchema } from '../../../src-gateway/policy/policy-schema.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const call: CallDescription = { server: 'db', method: 'tools/call', tool: 'run_sql', arguments: {}, client: 'local', groups: [] };
const orgPolicy = (extra: Partial<OrgPolicy> = {}): OrgPolicy => ({
  policy: PolicySchema.parse({ rules: [{ id: 'org-no-sql', match: { tool: 'run_sql' }, action: 'deny' }] }),
  mandatoryDetectors: ['email'],
  setsMasking: false,
  ...extra,
});

let dir: string;
let stores: PolicyStore[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-org-store-'));
  stores = [];
});
afterEach(() => {
  for (const store of stores) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function storeWith(policy?: unknown): PolicyStore {
  let file: string | undefined;
  if (policy !== undefined) writeFileSync((file = join(dir, 'policy.json')), typeof policy === 'string' ? policy : JSON.stringify(policy));
  const store = new PolicyStore({ file, dataDir: dir, logger: quiet });
  stores.push(store);
  return store;
}

describe('the policy store in org mode', () => {
  it("puts the org's rules in force first, sourced 'org', and tells the listeners", () => {
    const store = storeWith({ rules: [{ id: 'mine', action: 'allow' }] });
    const seen: PolicyStatus[] = [];
    store.onReload((status) => seen.push(status));
    store.setOrg(orgPolicy());
    expect(store.current().evaluate(call)).toMatchObject({ action: 'deny', rule: { id: 'org-no-sql' } });
    expect(store.rules().map(({ rule, source }) => `${source}:${rule.id}`)).toEqual(['org:org-no-sql', 'file:mine']);
    expect(seen.at(-1)?.ruleCount).toBe(2);
  });

  it('runs the mandatory detectors whatever the local masking says', () => {
    const store = storeWith({ rules: [], masking: { enabled: false } });
    store.setOrg(orgPolicy());
    expect(store.masking().detectorsFor({ server: 'db', client: 'local', groups: [] })).toEqual(['email']);
  });

  it("adds the org's masking section to the local masking when the bundle has one", () => {
    const store = storeWith({ rules: [], masking: { rules: [{ detectors: ['ipv4'] }] } });
    const policy = PolicySchema.parse({ rules: [], masking: { enabled: false, rules: [{ detectors: ['card'] }] } });
    const target = { server: 'db', client: 'local', groups: [] };
    store.setOrg(orgPolicy({ policy, setsMasking: true, mandatoryDetectors: [] }));
    expect(store.masking().detectorsFor(target)).toEqual(['ipv4']);
    store.setOrg(orgPolicy({ policy: PolicySchema.parse({ rules: [], masking: { rules: [{ detectors: ['card'] }] } }), setsMasking: true }));
    expect(store.masking().detectorsFor(target).sort()).toEqual(['card', 'email', 'ipv4']);
  });

  it('refuses every call with the refusal the org policy carries', () => {
    const store = storeWith();
    store.setOrg(orgPolicy({ refusal: 'update Airlock' }));
    expect(store.current().evaluate({ ...call, tool: 'anything' })).toEqual({ action: 'deny', reason: 'update Airlock' });
    expect(store.current().mayCall({ server: 'db', tool: 'x', client: 'local', groups: [] })).toBe(false);
  });

  it('still refuses everything while no valid local policy has loaded', () => {
    const store = storeWith('{ not json');
    store.setOrg(orgPolicy({ policy: PolicySchema.parse({ rules: [] }) }));
    expect(store.current().evaluate(call).reason).toMatch(/Airlock has no valid policy/);
  });

  it('keeps the org policy across a reload of the local files', () => {
    const store = storeWith();
    store.setOrg(orgPolicy());
    store.reload();
    expect(store.current().evaluate(call).rule?.id).toBe('org-no-sql');
  });

  it('goes back to the local policy alone when the org policy is taken out', () => {
    const store = storeWith();
    store.setOrg(orgPolicy());
    store.setOrg(undefined);
    expect(store.current().evaluate(call).action).toBe('allow');
    expect(store.rules().some(({ source }) => source === 'org')).toBe(false);
  });
});
