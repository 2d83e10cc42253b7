import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { control } from '../helpers/control-client.js';
import { queryStore, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { chromiumMissing, launchChromium, openUi, pageErrors, SCREENSHOTS } from './browser.js';
import { AirlockWindow } from './pages/airlock-window.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the tray window tests: ${missing}`);

type ToolResult = { isError?: boolean; content: Array<{ type: string; text?: string }> };
const textOf = (result: ToolResult) => result.content.map((part) => part.text ?? '').join('\n');

/**
 * The tray window in a real Chromium against a live gateway and the demo server, while an agent
 * (the MCP SDK client) makes calls: each step is what a person does in the window, and each
 * check is what the agent or the page then sees. The tests run in order, as one person's session.
 */
describe.skipIf(missing !== undefined).sequential('the tray window, against a live gateway', () => {
  let gateway: GatewayProcess;
  let browser: Browser;
  let page: Page;
  let window: AirlockWindow;
  let agent: Client;
  // The gateway's user's home, where the Agents page finds (and writes) agent apps' configs.
  const home = mkdtempSync(join(tmpdir(), 'airlock-e2e-home-'));

  beforeAll(async () => {
    const homeEnv = { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: '', APPDATA: join(home, 'AppData') };
    gateway = await startGatewayProcess({ servers: { demo: { command: 'airlock', args: ['demo-server'] } } }, homeEnv);
    browser = await launchChromium();
    page = await openUi(browser, gateway);
    window = new AirlockWindow(page);
    agent = await gateway.connect('demo', { name: 'e2e-agent' });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('Activity shows the agent\'s calls as they happen, masked answers badged', async () => {
    await expect.poll(() => window.heading('Activity').isVisible()).toBe(true);
    await agent.callTool({ name: 'find_customer', arguments: { query: 'a' } });
    const row = window.activity.callRow('find_customer');
    await row.waitFor();
    expect(await row.textContent()).toContain('Masked');
    await agent.callTool({ name: 'run_sql', arguments: { query: "SELECT full_name FROM customers WHERE id = 'cus_0002'" } });
    await window.activity.callRow('run_sql').waitFor();
    // The charts follow the live feed too (throttled): the top tools list names the tools used.
    await page.getByRole('region', { name: 'Last hour' }).getByText('find_customer').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/activity.png` });
  });

  test('approving a held call in Approvals lets the agent\'s call complete, recorded as answered in the window', async () => {
    const held = agent.callTool({ name: 'delete_customer', arguments: { id: 'cus_0003', reason: 'duplicate record' } }) as Promise<ToolResult>;
    let settled = false;
    void held.finally(() => (settled = true));
    await window.open('Approvals');
    const card = window.approvals.card('delete_customer');
    await card.waitFor();
    expect(await card.textContent()).toContain('cus_0003');
    await page.screenshot({ path: `${SCREENSHOTS}/approvals.png` });
    expect(settled).toBe(false);
    // A desktop notification opens the window on its approval.
    const [{ id }] = (await control<Array<{ id: string }>>(gateway, 'GET', '/control/approvals')).data;
    await page.goto(`${gateway.url}/ui/approvals?focus=${id}`);
    await expect.poll(() => card.getAttribute('aria-current')).toBe('true');
    await window.approvals.allowOnce(card);
    const result = await held;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('Deleted customer cus_0003');
    await card.waitFor({ state: 'detached' });
    expect(queryStore(gateway.dataDir, 'SELECT channel FROM approvals WHERE id = ?', id)).toEqual([{ channel: 'window' }]);
  });

  test('History finds the session, opens it as a timeline and replays it step by step', async () => {
    await window.open('History');
    await window.heading('History').waitFor();
    await window.history.sessionLinks().first().click();
    await window.history.request('delete_customer').waitFor();
    await window.history.replay();
    const position = window.history.position();
    await expect.poll(() => position.textContent()).toMatch(/^message 1 of \d+$/);
    const total = Number((await position.textContent())!.match(/of (\d+)/)![1]);
    expect(total).toBeGreaterThanOrEqual(8);
    await window.history.next();
    await expect.poll(() => position.textContent()).toBe(`message 2 of ${total}`);
    await page.screenshot({ path: `${SCREENSHOTS}/history-replay.png` });
    const download = page.waitForEvent('download');
    await window.history.exportButton().click();
    const file = await (await download).createReadStream();
    let jsonl = '';
    for await (const chunk of file) jsonl += chunk;
    const lines = jsonl.trim().split('\n').map((line) => JSON.parse(line) as { method?: string });
    expect(lines.length).toBe(total);
  });

  test('"Block calls like this" on a recorded call adds a deny rule, and the next such call is denied', async () => {
    await window.history.showAll();
    await window.history.request('run_sql').getByRole('button', { name: 'Block calls like this' }).click();
    await window.heading('Policies').waitFor();
    const { field } = window.policies;
    await expect.poll(() => field('Server').inputValue()).toBe('demo');
    expect(await field('Tool').inputValue()).toBe('run_sql');
    await field('JSON pointer').fill('/query');
    await field('Value').fill('customers');
    await field('Rule id').fill('block-customer-sql');
    await field('Reason').fill('No customer queries from agents');
    await window.policies.add();
    await window.policies.ruleRow('block-customer-sql').waitFor();
    expect(await window.policies.ruleRow('block-customer-sql').textContent()).toContain('local');
    await page.screenshot({ path: `${SCREENSHOTS}/policies.png` });

    const denied = (await agent.callTool({ name: 'run_sql', arguments: { query: 'SELECT count(*) FROM customers' } })) as ToolResult;
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('block-customer-sql');
    const other = (await agent.callTool({ name: 'list_orders', arguments: { customer_id: 'cus_0001' } })) as ToolResult;
    expect(other.isError).toBeFalsy();
  });

  test('the masking preview shows what a rule would hide, side by side with the findings', async () => {
    await window.open('Masking');
    await window.heading('Masking preview').waitFor();
    await window.masking.input().fill('Write to ada.lovelace@example.com, card 4111 1111 1111 1111.');
    const output = window.masking.output();
    await expect.poll(async () => (await output.textContent()) ?? '').not.toContain('ada.lovelace@example.com');
    const masked = (await output.textContent()) ?? '';
    expect(masked).not.toContain('4111 1111 1111 1111');
    expect(masked).toContain('Write to');
    expect(await page.getByRole('table').filter({ hasText: 'email' }).first().textContent()).toMatch(/card/);
    await page.screenshot({ path: `${SCREENSHOTS}/masking.png` });
  });

  test('Connections lists the demo server and tests it, showing its tools', async () => {
    await window.open('Connections');
    await window.heading('Connections').waitFor();
    await window.connections.test('demo');
    await page.getByRole('cell', { name: 'delete_customer', exact: true }).first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/connections.png` });
  });

  test('Agents shows the change to Cursor\'s config, writes it after a backup, and Undo restores it', async () => {
    const cursorFile = join(home, '.cursor', 'mcp.json');
    mkdirSync(join(home, '.cursor'));
    const original = '{\n  "mcpServers": {}\n}\n';
    writeFileSync(cursorFile, original);
    await window.open('Agents');
    await window.heading('Connect an agent').waitFor();
    await window.agents.connect('Cursor');
    const diff = window.agents.diff('Cursor');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('"airlock": {');
    expect(readFileSync(cursorFile, 'utf8')).toBe(original);
    await page.screenshot({ path: `${SCREENSHOTS}/agents.png` });
    await window.agents.confirm('Cursor');
    await expect.poll(async () => (await window.agents.result('Cursor').textContent()) ?? '').toMatch(/Wrote .*mcp\.json.*airlock-backup-/);
    expect(JSON.parse(readFileSync(cursorFile, 'utf8')).mcpServers.airlock.url).toBe(new URL('/mcp', gateway.url).href);
    await window.agents.undo('Cursor');
    await expect.poll(async () => (await window.agents.result('Cursor').textContent()) ?? '').toMatch(/^Restored /);
    expect(readFileSync(cursorFile, 'utf8')).toBe(original);
  });

  test('Agents can move the servers an app reaches directly into Airlock in the same change', async () => {
    const vscodeFile = join(home, '.config', 'Code', 'User', 'mcp.json');
    mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
    writeFileSync(vscodeFile, JSON.stringify({ servers: { notes: { type: 'stdio', command: 'npx', args: ['-y', 'notes-server'] } } }, null, 2));
    await page.reload();
    await window.agents.connect('VS Code');
    await window.agents.importChoice('VS Code').check();
    await expect.poll(async () => (await window.agents.diff('VS Code').textContent()) ?? '').toMatch(/-\s+"notes": \{/);
    await window.agents.confirm('VS Code');
    await expect.poll(async () => (await window.agents.result('VS Code').textContent()) ?? '').toMatch(/Now in Airlock’s connections: notes/);
    expect(Object.keys(JSON.parse(readFileSync(vscodeFile, 'utf8')).servers)).toEqual(['airlock']);
    const connections = await control<Array<{ name: string }>>(gateway, 'GET', '/control/connections');
    expect(connections.data.map((connection) => connection.name)).toContain('notes');
    await control(gateway, 'DELETE', '/control/connections/notes');
  });

  test('the tray\'s "Connect an agent…" link opens that app\'s change at once', async () => {
    await page.goto(`${gateway.url}/ui/agents?app=claude-desktop`);
    await window.agents.diff('Claude Desktop').waitFor();
    expect(existsSync(join(home, '.config', 'Claude', 'claude_desktop_config.json'))).toBe(false);
  });

  test('pausing protection shows a banner on every page, and Resume ends the pause', async () => {
    await control(gateway, 'POST', '/control/protection/pause', { minutes: 15 });
    const { banner } = window.protection;
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Protection paused until \d{1,2}:\d{2}.*approvals are not asked/);
    await window.open('Approvals');
    expect(await banner.isVisible()).toBe(true);
    await window.protection.resume();
    await banner.waitFor({ state: 'detached' });
    expect((await control<{ pausedUntil: number | null }>(gateway, 'GET', '/control/protection')).data.pausedUntil).toBeNull();
  });

  test('the window works at 800×600 in the dark theme, and no page logged an error', async () => {
    const small = await openUi(browser, gateway, { width: 800, height: 600, colorScheme: 'dark' });
    await new AirlockWindow(small).heading('Activity').waitFor();
    await new AirlockWindow(small).activity.callRow('run_sql').waitFor();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await small.screenshot({ path: `${SCREENSHOTS}/activity-dark-800x600.png` });
    const smallWindow = new AirlockWindow(small);
    await smallWindow.open('Agents');
    await smallWindow.agents.connect('Claude Code');
    await smallWindow.agents.diff('Claude Code').waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect([...pageErrors(page), ...pageErrors(small)]).toEqual([]);
  });
});
