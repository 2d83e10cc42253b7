import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerSchema, generateDemoData, type Customer } from '../../../src-gateway/demo/customers.js';
import { createDemoServer } from '../../../src-gateway/demo/demo-server.js';

/** Luhn, written independently of the generator so the test checks the data, not the code that made it. */
function passesLuhn(cardNumber: string): boolean {
  const digits = cardNumber.replace(/[ -]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to 10–35, and the number mod 97 is 1. */
function passesIbanCheck(iban: string): boolean {
  const compact = iban.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const numeric = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
}

/** Issuer prefixes: Visa 4, Mastercard 51–55 and 2221–2720, Amex 34 and 37. */
const ISSUER_PREFIX: Record<Customer['card_brand'], RegExp> = {
  visa: /^4/,
  mastercard: /^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/,
  amex: /^3[47]/,
};

const text = (result: CallToolResult): string => (result.content[0] as { type: 'text'; text: string }).text;

describe('demo server', () => {
  let client: Client;

  beforeEach(async () => {
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await createDemoServer().connect(serverTransport);
    client = new Client({ name: 'demo-server-test', version: '1.0.0' });
    await client.connect(clientTransport);
  });

  afterEach(async () => {
    await client.close();
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  it('lists the five back-office tools with the risky ones marked destructive', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ['delete_customer', 'find_customer', 'get_customer', 'list_orders', 'run_sql'],
    );
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('run_sql')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('delete_customer')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('find_customer')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('find_customer')?.outputSchema).toBeDefined();
  });

  it('checks cards and IBANs with checks that reject a single wrong digit', () => {
    expect(passesLuhn('4111 1111 1111 1111')).toBe(true);
    expect(passesLuhn('4111 1111 1111 1112')).toBe(false);
    expect(passesIbanCheck('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(passesIbanCheck('GB82 WEST 1234 5698 7654 33')).toBe(false);
  });

  it('finds customers whose card numbers pass Luhn and whose IBANs pass mod-97', async () => {
    // Every email has an @, so this returns the whole back office.
    const result = await call('find_customer', { query: '@', limit: 50 });
    expect(result.isError).toBeFalsy();
    const { customers } = result.structuredContent as { customers: Customer[] };
    expect(customers).toHaveLength(50);
    expect(JSON.parse(text(result))).toEqual({ customers });
    for (const customer of customers) {
      CustomerSchema.parse(customer);
      expect(passesLuhn(customer.card_number), customer.card_number).toBe(true);
      expect(customer.card_number.replace(/ /g, '')).toMatch(ISSUER_PREFIX[customer.card_brand]);
      if (customer.iban !== null) expect(passesIbanCheck(customer.iban), customer.iban).toBe(true);
    }
    const ibanCountries = new Set(customers.map((customer) => customer.iban?.slice(0, 2)).filter(Boolean));
    expect([...ibanCountries].sort()).toEqual(['DE', 'FR', 'GB', 'NL']);
    expect(new Set(customers.map((customer) => customer.card_brand)).size).toBe(3);
  });

  it('matches the search against name, email and company', async () => {
    const target = generateDemoData().customers[6];
    for (const query of [target.full_name, target.email, target.company]) {
      const result = await call('find_customer', { query });
      const { customers } = result.structuredContent as { customers: Customer[] };
      expect(customers.map((customer) => customer.id)).toContain(target.id);
    }
  });

  it('returns one customer by id and reports a missing one as a tool error', async () => {
    const found = await call('get_customer', { id: 'cus_0001' });
    expect(JSON.parse(text(found))).toEqual(generateDemoData().customers[0]);
    const missing = await call('get_customer', { id: 'cus_9999' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain('cus_9999');
  });

  it('lists the orders of a customer', async () => {
    const { orders } = generateDemoData();
    const customerId = orders[0].customer_id;
    const result = await call('list_orders', { customer_id: customerId });
    const listed = JSON.parse(text(result)) as { order_number: string; customer_id: string }[];
    expect(listed.length).toBe(orders.filter((order) => order.customer_id === customerId).length);
    for (const order of listed) {
      expect(order.customer_id).toBe(customerId);
      expect(order.order_number).toMatch(/^ORD-\d{4}-\d{6}$/);
    }
  });

  it('runs a SELECT and returns its rows', async () => {
    const query = "SELECT id, email FROM customers WHERE id IN ('cus_0001', 'cus_0002') ORDER BY id";
    const result = await call('run_sql', { query });
    expect(result.isError).toBeFalsy();
    const { rows } = JSON.parse(text(result)) as { rows: { id: string }[] };
    expect(rows.map((row) => row.id)).toEqual(['cus_0001', 'cus_0002']);
  });

  it('runs an UPDATE and reports how many rows changed', async () => {
    const result = await call('run_sql', { query: "UPDATE customers SET status = 'closed' WHERE country = 'FR'" });
    const expected = generateDemoData().customers.filter((customer) => customer.country === 'FR').length;
    expect(JSON.parse(text(result))).toEqual({ changes: expected });
  });

  it('returns a bad query as a tool error carrying the SQLite message', async () => {
    const syntax = await call('run_sql', { query: 'SELEC * FROM customers' });
    expect(syntax.isError).toBe(true);
    expect(text(syntax)).toContain('syntax error');
    const table = await call('run_sql', { query: 'SELECT * FROM invoices' });
    expect(table.isError).toBe(true);
    expect(text(table)).toContain('no such table: invoices');
  });

  it('refuses SQL that would write files outside the in-memory database', async () => {
    const result = await call('run_sql', { query: "/* sneaky */ ATTACH DATABASE '/tmp/airlock-demo.db' AS disk" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('ATTACH is disabled');
  });

  it('deletes a customer for real, together with their orders', async () => {
    const { orders } = generateDemoData();
    const customerId = orders[0].customer_id;
    const deleted = await call('delete_customer', { id: customerId, reason: 'GDPR erasure request' });
    expect(deleted.isError).toBeFalsy();
    expect(text(deleted)).toContain('GDPR erasure request');
    expect((await call('get_customer', { id: customerId })).isError).toBe(true);
    const left = await call('run_sql', { query: `SELECT count(*) AS n FROM orders WHERE customer_id = '${customerId}'` });
    expect(JSON.parse(text(left))).toEqual({ rows: [{ n: 0 }] });
    expect((await call('delete_customer', { id: customerId })).isError).toBe(true);
  });

  it('reads a customer through the customer:// resource template', async () => {
    const { resources } = await client.listResources();
    expect(resources).toHaveLength(50);
    const result = await client.readResource({ uri: 'customer://cus_0003' });
    const [content] = result.contents as { uri: string; mimeType: string; text: string }[];
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text)).toEqual(generateDemoData().customers[2]);
    await expect(client.readResource({ uri: 'customer://cus_9999' })).rejects.toThrow(/not found/);
  });

  it('drafts a reply prompt grounded in the customer record', async () => {
    const customer = generateDemoData().customers[4];
    const prompt = await client.getPrompt({
      name: 'draft_reply',
      arguments: { customer_id: customer.id, topic: 'a late refund' },
    });
    const [record, instruction] = prompt.messages;
    expect(record.content).toMatchObject({ type: 'resource', resource: { uri: `customer://${customer.id}` } });
    expect(JSON.stringify(record.content)).toContain(customer.email);
    expect(instruction.content).toMatchObject({ type: 'text' });
    expect((instruction.content as { text: string }).text).toContain('a late refund');
  });

  it('generates the same back office from the same seed', () => {
    expect(generateDemoData()).toEqual(generateDemoData());
    expect(generateDemoData(1)).not.toEqual(generateDemoData());
  });
});
