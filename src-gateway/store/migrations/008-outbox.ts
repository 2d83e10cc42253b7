import type { Migration } from '../migrate.js';

/**
 * Org mode's audit outbox: one row per recorded message not yet acknowledged by the hub, written in
 * the same transaction as the message. `batch_id` is set when the row is claimed into a batch and
 * kept until the hub acknowledges it, so a batch interrupted by a crash is resent with the same
 * idempotency key. `outbox_state` keeps this installation's id and the shipping counters.
 */
export const migration008: Migration = {
  version: 8,
  name: 'outbox',
  sql: `
    CREATE TABLE outbox (
      message_id  INTEGER PRIMARY KEY REFERENCES messages(id),
      batch_id    TEXT
    );
    CREATE INDEX outbox_batch ON outbox(batch_id, message_id);

    CREATE TABLE outbox_state (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );
    INSERT INTO outbox_state (key, value) VALUES
      ('installation_id', lower(hex(randomblob(16)))),
      ('dropped', '0');
  `,
};
