import type { Migration } from '../migrate.js';

/** Policy decisions on messages, held approvals, and pinned tool definitions. */
export const migration002: Migration = {
  version: 2,
  name: 'policy',
  sql: `
    ALTER TABLE messages ADD COLUMN decision TEXT;  -- the policy's action for a request: allow, deny, approve
    ALTER TABLE messages ADD COLUMN rule_id TEXT;   -- the rule that decided it

    CREATE TABLE approvals (
      id               TEXT PRIMARY KEY,
      session_id       TEXT NOT NULL REFERENCES sessions(id),
      rpc_id           TEXT,
      server           TEXT NOT NULL,
      method           TEXT NOT NULL,
      tool             TEXT,
      client           TEXT NOT NULL,
      arguments        TEXT,              -- JSON, as shown to the person deciding
      rule_id          TEXT,
      reason           TEXT,              -- why the rule asks
      created_at       INTEGER NOT NULL,
      expires_at       INTEGER NOT NULL,
      decided_at       INTEGER,
      decision         TEXT,              -- allow-once, allow-session, allow-always, deny, timeout, withdrawn
      channel          TEXT,              -- control-api, terminal, elicitation, timeout, agent
      decision_reason  TEXT
    );
    CREATE INDEX approvals_open ON approvals(decided_at);

    CREATE TABLE tool_pins (
      server              TEXT NOT NULL,
      tool                TEXT NOT NULL,
      hash                TEXT,            -- sha256 of the canonical (name, description, inputSchema);
                                           -- NULL while a first-seen tool that shadows another waits
      definition          TEXT,            -- that definition, JSON
      pinned_at           INTEGER,
      pending_hash        TEXT,            -- a changed or shadowing definition the server offers instead;
                                           -- hidden and blocked until a human approves it
      pending_definition  TEXT,
      pending_reason      TEXT,            -- changed | shadows:<server>
      pending_since       INTEGER,
      rejected_at         INTEGER,         -- a human refused the pending definition: still held, not asked again
      PRIMARY KEY (server, tool)
    );

    CREATE TABLE pin_events (
      id      INTEGER PRIMARY KEY AUTOINCREMENT,
      ts      INTEGER NOT NULL,
      server  TEXT NOT NULL,
      tool    TEXT NOT NULL,
      kind    TEXT NOT NULL,   -- pinned, changed, shadowing, approved, rejected
      detail  TEXT
    );
  `,
};
