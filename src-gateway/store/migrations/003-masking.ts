import type { Migration } from '../migrate.js';

/** What masking found in each message: detector, count and where (JSON pointers), never the value. */
export const migration003: Migration = {
  version: 3,
  name: 'masking',
  sql: `
    CREATE TABLE mask_events (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      message_id  INTEGER NOT NULL REFERENCES messages(id),
      detector    TEXT NOT NULL,
      count       INTEGER NOT NULL,
      pointers    TEXT NOT NULL   -- JSON array of JSON pointers into the message
    );
    CREATE INDEX mask_events_message ON mask_events(message_id);
  `,
};
