import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/gateway-process.js';

describe('airlock policy', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-policy-cli-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  // No user config may leak into these runs.
  const env = { AIRLOCK_CONFIG_DIR: join(scratch, 'no-config') };
  const policy = (...args: string[]) => runCli(['policy', ...args], env);

  const yamlPolicy = join(scratch, 'team.yaml');
  writeFileSync(
    yamlPolicy,
    [
      'defaultAction: deny',
      'rules:',
      '  - id: dba-may-write',
      '    match: { server: "db-*", tool: run_sql, group: dba }',
      '    action: allow',
      '  - id: ask-for-sql',
      '    match: { tool: run_sql }',
      '    action: approve',
      '    timeoutSeconds: 30',
      '    onTimeout: allow',
      '  - id: no-ci-resources',
      '    match: { method: resources/read, client: "ci-*" }',
      '    action: deny',
      '    reason: CI reads no resources',
      '  - id: resources',
      '    match: { method: resources/read }',
      '    action: allow',
    ].join('\n'),
  );

  it('prints the decision of the default policy and the rule that made it', async () => {
    const sql = await policy('check', 'demo', 'run_sql', '--args', '{"query": "DROP TABLE customers"}');
    expect(sql).toMatchObject({ code: 0, stderr: '' });
    expect(sql.stdout).toBe('approve  (rule approve-destructive-sql: Destructive SQL needs a human)\n         waits 120 s for a human, then denies\n');

    const ssh = await policy('check', 'files', 'read_file', '--args', '{"path": "/home/me/.ssh/id_rsa"}');
    expect(ssh.stdout).toMatch(/^deny {5}\(rule deny-read-ssh-keys: /);

    const select = await policy('check', 'demo', 'run_sql', '--args', '{"query": "SELECT * FROM customers"}');
    expect(select.stdout).toBe("allow    (no rule matched; the policy's default is allow)\n");
  });

  it('takes the method, client and groups of the call, and a YAML policy file', async () => {
    const asDba = await policy('check', 'db-main', 'run_sql', '--group', 'staff', '--group', 'dba', '--policy', yamlPolicy);
    expect(asDba.stdout).toBe('allow    (rule dba-may-write)\n');
    const asOther = await policy('check', 'db-main', 'run_sql', '--group', 'staff', '--policy', yamlPolicy);
    expect(asOther.stdout).toBe('approve  (rule ask-for-sql)\n         waits 30 s for a human, then allows\n');
    const resource = await policy('check', 'docs', 'file:///srv/readme.md', '--method', 'resources/read', '--client', 'ci-nightly', '--policy', yamlPolicy);
    expect(resource.stdout).toBe('deny     (rule no-ci-resources: CI reads no resources)\n');
    const otherTool = await policy('check', 'docs', 'search', '--policy', yamlPolicy);
    expect(otherTool.stdout).toBe("deny     (no rule matched; the policy's default is deny)\n");
  });

  it("uses the config's policy file when there is no --policy, as the gateway does", async () => {
    const config = join(scratch, 'config.json');
    writeFileSync(config, JSON.stringify({ policy: 'team.yaml' }));
    expect((await policy('validate', '--config', config)).stdout).toBe(`${yamlPolicy} is valid: 4 rules, default deny\n`);
    expect((await policy('check', 'docs', 'search', '--config', config)).stdout).toMatch(/^deny /);
  });

  it('validates a policy file, or lists its errors by rule and field with exit code 2', async () => {
    expect((await policy('validate')).stdout).toMatch(/^embedded default policy is valid: \d+ rules, default allow\n$/);
    expect((await policy('validate', '--policy', yamlPolicy)).stdout).toBe(`${yamlPolicy} is valid: 4 rules, default deny\n`);

    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ id: 'a', action: 'allow' }, { id: 'b', action: 'deny', match: { tool: 5, arguments: [{ pointer: '/q', regex: '(' }] } }, { id: 'a', action: 'deny' }] }));
    const result = await policy('validate', '--policy', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad} is invalid:`);
    expect(result.stderr).toContain('  - rules.1.match.tool: ');
    expect(result.stderr).toContain('  - rules.1.match.arguments.0.regex: ');
    const checked = await policy('check', 'demo', 'run_sql', '--policy', bad);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain('rules.1.match.tool');
  });

  it('refuses bad input with exit code 2', async () => {
    for (const args of [
      ['check', 'demo', 'run_sql', '--args', '{query: DROP}'],
      ['check', 'demo', 'run_sql', '--args', '["not", "an object"]'],
      ['check', 'demo'],
      ['frobnicate'],
      [],
      ['validate', '--policy', join(scratch, 'missing.yaml')],
    ]) {
      const result = await policy(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect((await policy('check', 'demo', 'run_sql', '--args', '{query')).stderr).toMatch(/--args is not valid JSON/);
  });

  it('has help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/policy check <server> <tool>/);
    const own = await policy('--help');
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^Usage: airlock policy check <server> <tool>/);
  });
});
