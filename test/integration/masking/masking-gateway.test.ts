import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from '../../helpers/control-client.js';
import { runCli, startGatewayProcess, queryStore, type GatewayProcess } from '../../helpers/gateway-process.js';

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;

describe('masking in the gateway', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-masking-'));
  const policyFile = join(scratch, 'policy.json');
  let gateway: GatewayProcess;
  const query = <T>(sql: string, ...params: unknown[]) => queryStore<T>(gateway.dataDir, sql, ...params);

  beforeAll(async () => {
    writeFileSync(policyFile, JSON.stringify({
      rules: [],
      masking: { rules: [{ match: { server: 'plain' }, disable: ['email'] }, { match: { server: 'demo' }, styles: { email: 'token', card: 'partial' } }] },
    }));
    gateway = await startGatewayProcess({
      servers: { demo: { command: 'airlock', args: ['demo-server'] }, plain: { command: 'airlock', args: ['demo-server'] } },
      policy: policyFile,
    });
  });
  afterAll(async () => gateway?.stop());

  it('masks PII in text and structured content before it reaches the agent', async () => {
    const client = await gateway.connect('demo');
    const result = await client.callTool({ name: 'get_customer', arguments: { id: 'cus_0001' } });
    const text = textOf(result);
    expect(text).not.toMatch(EMAIL);
    expect(text).toMatch(/<email_1>/);
    expect(text).toMatch(/\*{4}[ -]?\*{4}[ -]?\*{4}[ -]?\d{4}|\*+\d{4}/); // the card keeps its last 4
    const structured = JSON.stringify(result.structuredContent ?? {});
    expect(structured).not.toMatch(EMAIL);
  });

  it('gives the same value the same token throughout a session', async () => {
    const client = await gateway.connect('demo');
    const first = textOf(await client.callTool({ name: 'get_customer', arguments: { id: 'cus_0002' } }));
    const second = textOf(await client.callTool({ name: 'get_customer', arguments: { id: 'cus_0002' } }));
    const token = /<email_\d+>/.exec(first)?.[0];
    expect(token).toBeTruthy();
    expect(second).toContain(token);
  });

  it('records the masked answer and its masking events (detector, count, where), never the values', async () => {
    const client = await gateway.connect('demo', { name: 'masking-recorder' });
    await client.callTool({ name: 'get_customer', arguments: { id: 'cus_0003' } });
    const [answer] = query<{ id: number; body: string; decision: string }>(
      "SELECT m.id, m.body, m.decision FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.client_info LIKE '%masking-recorder%' AND m.tool = 'get_customer' AND m.direction = 'to-agent'",
    );
    expect(answer.decision).toBe('masked');
    expect(answer.body).not.toMatch(EMAIL);
    const events = query<{ detector: string; count: number; pointers: string }>('SELECT detector, count, pointers FROM mask_events WHERE message_id = ?', answer.id);
    const email = events.find((e) => e.detector === 'email');
    expect(email?.count).toBeGreaterThan(0);
    expect(JSON.parse(email!.pointers)[0]).toMatch(/^\/result\//);
    expect(JSON.stringify(events)).not.toMatch(EMAIL);
  });

  it('masks arguments in the audit log while the server gets them as sent', async () => {
    const client = await gateway.connect('plain');
    const found = await client.callTool({ name: 'find_customer', arguments: { query: 'eoconnor@redwood.example' } });
    // "plain" keeps emails (its rule disables the detector), so the search worked on the real address.
    expect(textOf(found)).toContain('eoconnor@redwood.example');
    const demo = await gateway.connect('demo');
    await demo.callTool({ name: 'find_customer', arguments: { query: 'eoconnor@redwood.example' } });
    const recorded = query<{ body: string }>("SELECT m.body FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.server = 'demo' AND m.tool = 'find_customer' AND m.direction = 'to-server'");
    expect(recorded.length).toBeGreaterThan(0);
    for (const row of recorded) expect(row.body).not.toContain('eoconnor@redwood.example');
  });

  it('previews masking through the control API', async () => {
    const preview = await control<{ masked: string; findings: Array<{ detector: string }> }>(gateway, 'POST', '/control/mask/preview', { text: 'Reach me at jane.doe@example.com, card 4111 1111 1111 1111', server: 'demo' });
    expect(preview.message ?? '').toBe('');
    expect(preview.ok).toBe(true);
    expect(preview.data.masked).toBe('Reach me at <email_1>, card **** **** **** 1111');
    expect(preview.data.findings.map((f) => f.detector).sort()).toEqual(['card', 'email']);
  });

  it('previews masking in the terminal, from text, a JSON file and a recorded message', async () => {
    const text = await runCli(['mask', 'preview', '--text', 'mail jane.doe@example.com now', '--policy', policyFile]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('mail <email_1> now');
    expect(text.stdout).toMatch(/email\s+\/? ?\[5\.\.25\)/);

    const file = join(scratch, 'sample.json');
    writeFileSync(file, JSON.stringify({ customers: [{ email: 'a.person@example.org', iban: 'DE89 3704 0044 0532 0130 00' }] }));
    const fromFile = await runCli(['mask', 'preview', '--file', file, '--policy', policyFile, '--json']);
    const parsed = JSON.parse(fromFile.stdout) as { masked: unknown; findings: Array<{ detector: string; pointer: string }> };
    expect(JSON.stringify(parsed.masked)).not.toContain('a.person@example.org');
    expect(parsed.findings.map((f) => f.pointer).sort()).toEqual(['/customers/0/email', '/customers/0/iban']);

    const [row] = query<{ id: number }>("SELECT id FROM messages WHERE direction = 'to-agent' AND tool = 'get_customer' LIMIT 1");
    const recorded = await runCli(['mask', 'preview', '--message', String(row.id), '--data-dir', gateway.dataDir, '--policy', policyFile]);
    expect(recorded.code).toBe(0);
    // Recorded answers are stored masked already, so a preview of one finds nothing new.
    expect(recorded.stdout).toMatch(/no findings/);
  });

  it('refuses a masking rule naming an unknown detector, pointing at it', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [], masking: { rules: [{ disable: ['emial'] }] } }));
    const result = await runCli(['policy', 'validate', '--policy', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/masking\.rules\.0\.disable\.0: unknown detector "emial"/);
  });
});
