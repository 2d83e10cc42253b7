import type { Migration } from '../migrate.js';

/** Approvals record what they were bound to and who decided them (issue 9, approval integrity). */
export const migration011: Migration = {
  version: 11,
  name: 'approval-binding',
  sql: `
    ALTER TABLE approvals ADD COLUMN binding TEXT;     -- sha256 of (server, method, tool, canonical arguments)
    ALTER TABLE approvals ADD COLUMN decided_by TEXT;  -- who answered: the signed-in or local user, the agent's user, or airlock on timeout
  `,
};
