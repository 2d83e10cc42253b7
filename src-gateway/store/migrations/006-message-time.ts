import type { Migration } from '../migrate.js';

/** The stats of the last minutes read messages by time; without this they would scan the whole log. */
export const migration006: Migration = {
  version: 6,
  name: 'message-time',
  sql: `CREATE INDEX messages_ts ON messages(ts);`,
};
