import Database from 'better-sqlite3';
import { CustomerSchema, generateDemoData, type Customer, type DemoData, type Order } from './customers.js';

const SCHEMA = `
  CREATE TABLE customers (
    id            TEXT PRIMARY KEY,
    full_name     TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    phone         TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    address       TEXT NOT NULL,
    country       TEXT NOT NULL,
    company       TEXT NOT NULL,
    card_brand    TEXT NOT NULL,
    card_number   TEXT NOT NULL,
    iban          TEXT,
    status        TEXT NOT NULL,
    notes         TEXT NOT NULL
  );
  CREATE TABLE orders (
    order_number TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    amount       REAL NOT NULL,
    currency     TEXT NOT NULL,
    ordered_at   TEXT NOT NULL,
    status       TEXT NOT NULL
  );
  CREATE INDEX orders_by_customer ON orders(customer_id, ordered_at);
`;

const CUSTOMER_COLUMNS = Object.keys(CustomerSchema.shape).join(', ');

const FILE_STATEMENTS = ['ATTACH', 'VACUUM'];

/** The statement's first keyword, upper-cased, after any leading whitespace and comments. */
function leadingKeyword(sql: string): string {
  const body = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^[A-Za-z]+/.exec(body)?.[0].toUpperCase() ?? '';
}

/** What `run_sql` reports: the rows of a statement that returns data, or how many rows it changed. */
export type SqlOutcome = { rows: unknown[] } | { changes: number };

/** The demo back office as the demo server's tools see it. */
export interface DemoDatabase {
  /** Customers whose name, email or company contains `query` (case-insensitive for ASCII), by id. */
  findCustomers(query: string, limit: number): Customer[];
  getCustomer(id: string): Customer | undefined;
  listCustomers(): Pick<Customer, 'id' | 'full_name'>[];
  /** Orders of one customer, oldest first. */
  listOrders(customerId: string): Order[];
  /** Deletes a customer and, by cascade, their orders; undefined when there is no such customer. */
  deleteCustomer(id: string): { customer: Customer; ordersDeleted: number } | undefined;
  /** Runs one SQL statement as given. Throws SQLite's own error when the statement is invalid. */
  runSql(sql: string): SqlOutcome;
  close(): void;
}

/**
 * Loads the demo back office into a private in-memory SQLite database. Each call starts from the same
 * records, so a restarted demo server has undone whatever an agent deleted.
 */
export function openDemoDatabase(data: DemoData = generateDemoData()): DemoDatabase {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const insertCustomer = db.prepare(`INSERT INTO customers VALUES (@id, @full_name, @email, @phone, @date_of_birth,
    @address, @country, @company, @card_brand, @card_number, @iban, @status, @notes)`);
  const insertOrder = db.prepare(`INSERT INTO orders VALUES (@order_number, @customer_id, @amount, @currency,
    @ordered_at, @status)`);
  db.transaction(() => {
    for (const customer of data.customers) insertCustomer.run(customer);
    for (const order of data.orders) insertOrder.run(order);
  })();

  // Named columns, so a column an agent adds through run_sql cannot break find_customer's output schema.
  const find = db.prepare(`SELECT ${CUSTOMER_COLUMNS} FROM customers
    WHERE full_name LIKE @pattern ESCAPE '\\' OR email LIKE @pattern ESCAPE '\\' OR company LIKE @pattern ESCAPE '\\'
    ORDER BY id LIMIT @limit`);
  const get = db.prepare(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
  const list = db.prepare('SELECT id, full_name FROM customers ORDER BY id');
  const orders = db.prepare('SELECT * FROM orders WHERE customer_id = ? ORDER BY ordered_at, order_number');
  const countOrders = db.prepare('SELECT count(*) AS n FROM orders WHERE customer_id = ?').pluck();
  const remove = db.prepare('DELETE FROM customers WHERE id = ?');

  return {
    findCustomers: (query, limit) =>
      // LIKE's wildcards in the query are meant literally: searching "100%" must not match everything.
      find.all({ pattern: `%${query.replace(/[\\%_]/g, '\\$&')}%`, limit }) as Customer[],
    getCustomer: (id) => get.get(id) as Customer | undefined,
    listCustomers: () => list.all() as Pick<Customer, 'id' | 'full_name'>[],
    listOrders: (customerId) => orders.all(customerId) as Order[],
    deleteCustomer: db.transaction((id: string) => {
      const customer = get.get(id) as Customer | undefined;
      if (!customer) return undefined;
      const ordersDeleted = countOrders.get(id) as number;
      remove.run(id);
      return { customer, ordersDeleted };
    }),
    runSql: (sql) => {
      // The two statements that reach the file system; the demo's damage stays inside its own memory.
      if (FILE_STATEMENTS.includes(leadingKeyword(sql))) {
        throw new Error(`${leadingKeyword(sql)} is disabled: the demo database lives in memory and writes no files`);
      }
      const statement = db.prepare(sql);
      // `reader` is true for anything that returns rows: SELECT, most PRAGMAs, and INSERT … RETURNING.
      return statement.reader ? { rows: statement.all() } : { changes: statement.run().changes };
    },
    close: () => db.close(),
  };
}
