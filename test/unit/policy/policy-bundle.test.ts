import { describe, expect, it } from 'vitest';
import { bundleSetsMasking, isOlderVersion, parsePolicyBundle } from '../../../src-gateway/sync/policy-bundle.js';

const bundleText = (extra: Record<string, unknown> = {}, policy: unknown = { rules: [{ id: 'r', action: 'deny' }] }) =>
  JSON.stringify({ version: '2026-11-24.1', policy, ...extra });

describe('the org policy bundle', () => {
  it('validates its policy with the policy file schema, defaults filled in', () => {
    const bundle = parsePolicyBundle(bundleText(), 'hub');
    expect(bundle.policy.defaultAction).toBe('allow');
    expect(bundle.policy.masking.enabled).toBe(true);
    expect(bundle.mandatoryDetectors).toEqual([]);
  });

  it("names the policy's field that is wrong", () => {
    expect(() => parsePolicyBundle(bundleText({}, { rules: [{ id: 'r', action: 'maybe' }] }), 'the bundle')).toThrow(/the bundle is invalid:\n {2}- policy\.rules\.0\.action/);
  });

  it('refuses an unknown mandatory detector', () => {
    expect(() => parsePolicyBundle(bundleText({ mandatoryDetectors: ['email', 'nope'] }), 'b')).toThrow(/mandatoryDetectors\.1: unknown detector "nope"/);
  });

  it("accepts the bundle's own custom detector as mandatory", () => {
    const policy = { rules: [], masking: { custom: [{ name: 'employee-id', regex: 'E\\d{6}' }] } };
    expect(parsePolicyBundle(bundleText({ mandatoryDetectors: ['employee-id'] }, policy), 'b').mandatoryDetectors).toEqual(['employee-id']);
  });

  it('refuses unknown top-level fields and a malformed minAirlockVersion', () => {
    expect(() => parsePolicyBundle(bundleText({ extra: 1 }), 'b')).toThrow(/Unrecognized key/);
    expect(() => parsePolicyBundle(bundleText({ minAirlockVersion: '2' }), 'b')).toThrow(/minAirlockVersion is a version like/);
  });

  it('reads YAML when told', () => {
    expect(parsePolicyBundle('version: v1\npolicy:\n  rules: []\n  defaultAction: deny\n', 'bundle.yaml', 'yaml').policy.defaultAction).toBe('deny');
  });

  it('tells a masking section of its own from the defaults parsing fills in', () => {
    expect(bundleSetsMasking({ policy: { rules: [], masking: { enabled: false } } })).toBe(true);
    expect(bundleSetsMasking({ policy: { rules: [] } })).toBe(false);
    expect(bundleSetsMasking(null)).toBe(false);
  });

  it('says where JSON is broken', () => {
    expect(() => parsePolicyBundle('{"version": ', 'b')).toThrow(/b is not valid JSON: line 1/);
  });
});

describe('comparing Airlock versions', () => {
  it.each([
    ['0.9.0', '1.0.0', true],
    ['1.0.0', '1.0.0', false],
    ['1.10.0', '1.9.0', false],
    ['1.2.3', '1.2.4', true],
    ['1.0.0-beta.1', '1.0.0', true],
    ['1.0.1-beta.1', '1.0.0', false],
    ['not a version', '1.0.0', true],
  ])('%s is older than %s: %s', (version, required, older) => {
    expect(isOlderVersion(version, required)).toBe(older);
  });
});
