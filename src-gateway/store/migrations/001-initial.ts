import type { Migration } from '../migrate.js';

/** Sessions, the append-only message log and client tokens. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE clients (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      token_hash  TEXT NOT NULL UNIQUE,  -- sha256 of the token; the token itself is never stored
      created_at  INTEGER NOT NULL,
      revoked_at  INTEGER
    );
    CREATE INDEX clients_name ON clients(name);

    CREATE TABLE sessions (
      id                TEXT PRIMARY KEY,  -- the Mcp-Session-Id the agent sees
      server            TEXT NOT NULL,
      client            TEXT NOT NULL,     -- name of the client whose token opened it
      client_info       TEXT,              -- the agent's clientInfo from initialize, JSON
      protocol_version  TEXT,
      started_at        INTEGER NOT NULL,
      ended_at          INTEGER,
      end_reason        TEXT
    );
    CREATE INDEX sessions_started ON sessions(started_at);

    CREATE TABLE messages (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id   TEXT NOT NULL REFERENCES sessions(id),
      ts           INTEGER NOT NULL,     -- ms since epoch
      direction    TEXT NOT NULL CHECK (direction IN ('to-server', 'to-agent')),
      kind         TEXT NOT NULL CHECK (kind IN ('request', 'response', 'error', 'notification')),
      rpc_id       TEXT,                 -- JSON-encoded id, so 1 and "1" stay distinct
      method       TEXT,                 -- for responses, the method of the request answered
      tool         TEXT,                 -- tools/call name, resource uri or prompt name
      size         INTEGER NOT NULL,     -- bytes of the JSON message
      duration_ms  REAL,                 -- for responses: since the request was recorded
      outcome      TEXT NOT NULL,
      body         TEXT NOT NULL
    );
    CREATE INDEX messages_session ON messages(session_id, id);
  `,
};
