import type { Migration } from '../migrate.js';

/** The sealed original of a masked message, when the policy asks to keep it. */
export const migration004: Migration = {
  version: 4,
  name: 'sealed-originals',
  sql: `ALTER TABLE messages ADD COLUMN original_sealed TEXT;`,
};
