import type { Migration } from '../migrate.js';

/**
 * Org mode: who a session ran as. Taken from the sign-in when the session starts and kept with it,
 * so the history (and the shipped audit log) says who called, even after they sign out.
 * NULL user: nobody was signed in (or org mode is off); groups are a JSON array of names.
 */
export const migration007: Migration = {
  version: 7,
  name: 'session-identity',
  sql: `
    ALTER TABLE sessions ADD COLUMN user_id TEXT;
    ALTER TABLE sessions ADD COLUMN user_name TEXT;
    ALTER TABLE sessions ADD COLUMN user_groups TEXT NOT NULL DEFAULT '[]';
  `,
};
