import { once } from 'node:events';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CustomerSchema } from './customers.js';
import { openDemoDatabase } from './demo-database.js';

/** MCP's code for "no such resource"; the SDK's ErrorCode enum does not list it. */
const RESOURCE_NOT_FOUND = -32002;

const DEFAULT_FIND_LIMIT = 10;

const json = (value: unknown): string => JSON.stringify(value, null, 2);
const textResult = (text: string): CallToolResult => ({ content: [{ type: 'text', text }] });
const errorResult = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });
const noCustomer = (id: string): string => `No customer with id "${id}".`;

const customerId = z.string().min(1).describe('Customer id, such as cus_0001');

/**
 * Builds the demo back office server: customers and orders in an in-memory SQLite database, with
 * read-only tools, two risky ones (`run_sql`, `delete_customer`), a `customer://{id}` resource template
 * and a `draft_reply` prompt. Every server gets its own fresh copy of the same records.
 */
export function createDemoServer(): McpServer {
  const database = openDemoDatabase();
  const server = new McpServer(
    { name: 'airlock-demo', title: 'Airlock demo back office', version: '1.0.0' },
    {
      instructions:
        'A customer back office with customers and their orders. All records are synthetic demo data; ' +
        'run_sql and delete_customer change it until the server restarts.',
    },
  );
  server.server.onclose = () => database.close();

  server.registerTool(
    'find_customer',
    {
      title: 'Find customers',
      description: 'Searches customers by name, email or company and returns their full records.',
      inputSchema: {
        query: z.string().min(1).describe('Text to look for in name, email or company'),
        limit: z.number().int().min(1).max(50).optional().describe(`Most records to return (default ${DEFAULT_FIND_LIMIT})`),
      },
      outputSchema: { customers: z.array(CustomerSchema) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, limit }) => {
      const result = { customers: database.findCustomers(query, limit ?? DEFAULT_FIND_LIMIT) };
      // The text repeats the structured content for clients that only read text.
      return { content: [{ type: 'text', text: json(result) }], structuredContent: result };
    },
  );

  server.registerTool(
    'get_customer',
    {
      title: 'Get customer',
      description: 'Returns one customer record by id.',
      inputSchema: { id: customerId },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ id }) => {
      const customer = database.getCustomer(id);
      return customer ? textResult(json(customer)) : errorResult(noCustomer(id));
    },
  );

  server.registerTool(
    'list_orders',
    {
      title: 'List orders',
      description: "Lists a customer's orders, oldest first.",
      inputSchema: { customer_id: customerId },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ customer_id }) =>
      database.getCustomer(customer_id)
        ? textResult(json(database.listOrders(customer_id)))
        : errorResult(noCustomer(customer_id)),
  );

  server.registerTool(
    'run_sql',
    {
      title: 'Run SQL',
      description:
        'Runs one SQL statement on the back-office database (tables customers and orders). ' +
        'Statements that return rows give {"rows": [...]}; others give {"changes": n}. Can change or destroy data.',
      inputSchema: { query: z.string().min(1).describe('One SQLite statement') },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    ({ query }) => {
      try {
        const outcome = database.runSql(query);
        if ('changes' in outcome && outcome.changes > 0) server.sendResourceListChanged();
        return textResult(json(outcome));
      } catch (error) {
        // The agent wrote the SQL, so SQLite's own words are what it needs to fix it.
        return errorResult(error instanceof Error ? error.message : String(error));
      }
    },
  );

  server.registerTool(
    'delete_customer',
    {
      title: 'Delete customer',
      description: 'Permanently deletes a customer and all of their orders.',
      inputSchema: {
        id: customerId,
        reason: z.string().max(500).optional().describe('Why the customer is being deleted'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ id, reason }) => {
      const deleted = database.deleteCustomer(id);
      if (!deleted) return errorResult(noCustomer(id));
      server.sendResourceListChanged();
      return textResult(
        `Deleted customer ${id} (${deleted.customer.full_name}) and ${deleted.ordersDeleted} order(s). ` +
          `Reason: ${reason ?? 'none given'}.`,
      );
    },
  );

  server.registerResource(
    'customer',
    new ResourceTemplate('customer://{id}', {
      list: () => ({
        resources: database.listCustomers().map(({ id, full_name }) => ({
          uri: `customer://${id}`,
          name: full_name,
          mimeType: 'application/json',
        })),
      }),
    }),
    { title: 'Customer record', description: 'One customer record as JSON.', mimeType: 'application/json' },
    (uri, { id }) => {
      const customer = database.getCustomer(String(id));
      if (!customer) throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri.href}`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: json(customer) }] };
    },
  );

  server.registerPrompt(
    'draft_reply',
    {
      title: 'Draft a reply to a customer',
      description: "Drafts an email reply to a customer about a topic, grounded in their record and orders.",
      argsSchema: { customer_id: customerId, topic: z.string().min(1).describe('What the reply is about') },
    },
    ({ customer_id, topic }) => {
      const customer = database.getCustomer(customer_id);
      if (!customer) throw new McpError(ErrorCode.InvalidParams, noCustomer(customer_id));
      const record = json({ ...customer, orders: database.listOrders(customer_id) });
      return {
        description: `Reply to ${customer.full_name} about ${topic}`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'resource',
              resource: { uri: `customer://${customer_id}`, mimeType: 'application/json', text: record },
            },
          },
          {
            role: 'user',
            content: {
              type: 'text',
              text:
                `Draft a short, friendly email reply to ${customer.full_name} <${customer.email}> about: ${topic}. ` +
                'Use the customer record above for facts; never repeat full card numbers or IBANs.',
            },
          },
        ],
      };
    },
  );

  return server;
}

/**
 * Serves the demo back office over stdio until the client closes stdin. Stdout carries only the
 * protocol, so anything said to a human goes to stderr.
 */
export async function runDemoServer(): Promise<void> {
  const server = createDemoServer();
  // The stdio transport does not notice its client leaving; stdin ending is how a stdio client hangs up.
  const hungUp = once(process.stdin, 'end');
  await server.connect(new StdioServerTransport());
  process.stderr.write('airlock demo-server: serving the demo back office on stdio\n');
  await hungUp;
  await server.close();
}
