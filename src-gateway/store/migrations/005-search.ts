import type { Migration } from '../migrate.js';

/**
 * Full-text search over message bodies (see search-index.ts, which fills it). The index is
 * contentless: it holds only terms and message ids, never a second copy of a body. It is filled
 * in batches behind the log rather than by a trigger, because indexing each message in its own
 * commit more than doubled the cost of recording a call, and recording is on every call's path.
 * `search_progress` says how far it has caught up; existing messages are indexed the same way.
 */
export const migration005: Migration = {
  version: 5,
  name: 'search',
  sql: `
    CREATE VIRTUAL TABLE messages_fts USING fts5(body, content = '', tokenize = 'unicode61 remove_diacritics 2');

    CREATE TABLE search_progress (indexed_through INTEGER NOT NULL);  -- messages up to this id are indexed
    INSERT INTO search_progress (indexed_through) VALUES (0);
  `,
};
