import type { ServerConfig } from '../config/config-schema.js';

export interface Connection {
  name: string;
  server: ServerConfig;
  /** `config`: from the config file, read-only here; `local`: added through the control API. */
  source: 'config' | 'local';
}

/**
 * The downstream servers agents can reach: those of the config file plus those added in the tray
 * window (kept in `connections.json` in the data dir). The HTTP front looks servers up here on
 * every new session, so a change applies to the next session without a restart.
 */
export interface ConnectionRegistry {
  get(name: string): ServerConfig | undefined;
  list(): Connection[];
  /**
   * Throws the `ConnectionError` that this change to `name` would throw, without making it, so a
   * caller can prepare (store secrets) only for a change that will go through.
   */
  check(name: string, change: 'add' | 'update' | 'remove'): void;
  /** Throw `ConnectionError` (code `conflict`, `read-only`, `not-found` or `invalid`) with a message a person can act on. */
  add(name: string, server: ServerConfig): Connection;
  update(name: string, server: ServerConfig): Connection;
  remove(name: string): void;
  /** Returns the unsubscribe. */
  onChange(listener: (names: string[]) => void): () => void;
}

export class ConnectionError extends Error {
  override name = 'ConnectionError';
  constructor(readonly code: 'conflict' | 'read-only' | 'not-found' | 'invalid', message: string) {
    super(message);
  }
}
