import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src-gateway/config/load-config.js';
import { loadPolicyFile, parsePolicyText, PolicyError } from '../../../src-gateway/policy/load-policy.js';

const parseJson = (raw: unknown) => parsePolicyText(JSON.stringify(raw), 'policy.json');
const deny = (extra: Record<string, unknown> = {}) => ({ id: 'r', action: 'deny', ...extra });

describe('policy files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-policy-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads YAML with PCRE-style regexes and fills in the defaults', () => {
    const policy = parsePolicyText(
      [
        'rules:',
        '  - id: approve-destructive-sql',
        '    match:',
        '      server: [demo, "db-*"]',
        '      tool: run_sql',
        '      arguments:',
        '        - pointer: /query',
        "          regex: '(?i)\\b(drop|truncate|delete)\\b'",
        '    action: approve',
        '    reason: Destructive SQL needs a human',
        '  - id: block-ci',
        '    match: { client: "ci-*" }',
        '    action: deny',
      ].join('\n'),
      'policy.yaml',
    );
    expect(policy.defaultAction).toBe('allow');
    expect(policy.rules[0]).toMatchObject({ action: 'approve', timeoutSeconds: 120, onTimeout: 'deny' });
    expect(policy.rules[0].match?.arguments?.[0].regex).toBe('(?i)\\b(drop|truncate|delete)\\b');
    expect(policy.rules[1]).not.toHaveProperty('timeoutSeconds');
  });

  it.each([
    [{ rules: [deny(), deny({ match: { tool: 5 } })] }, 'rules.1.match.tool'],
    [{ rules: [deny({ match: { tool: [] } })] }, 'rules.0.match.tool'],
    [{ rules: [deny({ match: { server: ['demo', ''] } })] }, 'rules.0.match.server.1'],
    [{ rules: [deny({ match: { typo: 'x' } })] }, 'rules.0.match'],
    [{ rules: [deny({ match: { arguments: [{ pointer: '/q', regex: 'a' }, { pointer: '/q', regex: '(unclosed' }] } })] }, 'rules.0.match.arguments.1.regex'],
    [{ rules: [deny({ match: { arguments: [{ pointer: '/q', regex: '(?x)a b' }] } })] }, 'rules.0.match.arguments.0.regex'],
    [{ rules: [deny({ match: { arguments: [{ pointer: 'query', equals: 1 }] } })] }, 'rules.0.match.arguments.0.pointer'],
    [{ rules: [deny({ match: { arguments: [{ pointer: '/a~2', equals: 1 }] } })] }, 'rules.0.match.arguments.0.pointer'],
    [{ rules: [deny({ match: { arguments: [{ pointer: '/q' }] } })] }, 'rules.0.match.arguments.0'],
    [{ rules: [deny({ match: { arguments: [{ pointer: '/q', regex: 'a', contains: 'a' }] } })] }, 'rules.0.match.arguments.0'],
    [{ rules: [deny({ action: 'block' })] }, 'rules.0.action'],
    [{ rules: [deny({ timeoutSeconds: 30 })] }, 'rules.0.timeoutSeconds'],
    [{ rules: [deny({ onTimeout: 'allow' })] }, 'rules.0.onTimeout'],
    [{ rules: [deny({ action: 'approve', timeoutSeconds: 0 })] }, 'rules.0.timeoutSeconds'],
    [{ rules: [deny({ action: 'approve', onTimeout: 'approve' })] }, 'rules.0.onTimeout'],
    [{ rules: [{ action: 'deny' }] }, 'rules.0.id'],
    [{ rules: [deny({ id: 'has space' })] }, 'rules.0.id'],
    [{ rules: [deny({ reason: '' })] }, 'rules.0.reason'],
    [{ rules: [], defaultAction: 'approve' }, 'defaultAction'],
    [{ rules: [], extra: true }, '(top level)'],
    [{}, 'rules'],
  ])('points at the rule and field in %j', (raw, field) => {
    expect(() => parseJson(raw)).toThrow(PolicyError);
    expect(() => parseJson(raw)).toThrow(`\n  - ${field}: `);
  });

  it('names both rules that share an id', () => {
    expect(() => parseJson({ rules: [{ id: 'a', action: 'allow' }, { id: 'b', action: 'deny' }, { id: 'a', action: 'deny' }] }))
      .toThrow('  - rules.2.id: duplicate rule id "a": rules.0.id has it too');
  });

  it('lists every problem, not just the first', () => {
    const error = (() => {
      try {
        parseJson({ rules: [deny({ match: { tool: 1 } }), deny({ action: 'nope' })] });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/^policy\.json is invalid:\n {2}- rules\.0\.match\.tool: .*\n {2}- rules\.1\.action: /);
  });

  it('reports broken JSON and YAML with the file name', () => {
    expect(() => parsePolicyText('{"rules": ', 'p.json')).toThrow(/p\.json is not valid JSON/);
    expect(() => parsePolicyText('rules: [unclosed', 'p.yaml')).toThrow(/p\.yaml is not valid YAML/);
  });

  it('is a kind of config error, so the CLI and the gateway report it the same way', () => {
    expect(() => parseJson({})).toThrow(ConfigError);
  });

  it('loads a file by path, or says it cannot read it', () => {
    const file = join(scratch, 'policy.json');
    writeFileSync(file, JSON.stringify({ rules: [deny()], defaultAction: 'deny' }));
    expect(loadPolicyFile(file)).toEqual({ rules: [deny()], defaultAction: 'deny', masking: { enabled: true, rules: [], custom: [] }, auditFailure: 'fail-closed' });
    expect(() => loadPolicyFile(join(scratch, 'missing.yaml'))).toThrow(/cannot read policy .*missing\.yaml: ENOENT/);
  });
});
