import { createHash } from 'node:crypto';
import type { MessageRow } from './history-queries.js';

/** Bumped if what is hashed ever changes; part of every session's first link. */
const CHAIN_VERSION = 'airlock-audit-chain-v1';

/**
 * The columns of a session that never change once it started, as stored (migrations 001, 007).
 * Here and below, values are hashed as they read back from the store, so text must be well-formed
 * (see `storedText`).
 */
export interface ChainSession {
  id: string;
  server: string;
  client: string;
  started_at: number;
  user_id: string | null;
  user_name: string | null;
  user_groups: string;
}

/** One masking event as stored in `mask_events`: pointers are the stored JSON text. */
export interface ChainMaskEvent {
  detector: string;
  count: number;
  pointers: string;
}

/** The columns of a message that the chain covers, as stored: everything but the hash itself. */
export interface ChainMessage extends MessageRow {
  decision: string | null;
  rule_id: string | null;
  original_sealed: string | null;
}

/**
 * The link a session's chain starts from: a hash of who ran the session against which server, so
 * rewriting those columns breaks the chain as surely as editing a message does.
 */
export function genesisHash(session: ChainSession): string {
  const { id, server, client, started_at, user_id, user_name, user_groups } = session;
  return sha256(JSON.stringify([CHAIN_VERSION, id, server, client, started_at, user_id, user_name, user_groups]));
}

/**
 * The hash of a message given the hash of the one before it in its session. The message id is
 * covered, so moving a row (a new id, or swapped contents) breaks the chain; so are its masking
 * events, in the order they were recorded.
 */
export function chainHash(previous: string, message: ChainMessage, maskEvents: readonly ChainMaskEvent[]): string {
  const m = message;
  const fields = [
    m.id, m.session_id, m.ts, m.direction, m.kind, m.rpc_id, m.method, m.tool, m.size, m.duration_ms,
    m.outcome, m.decision, m.rule_id, m.body, m.original_sealed,
    maskEvents.map((event) => [event.detector, event.count, event.pointers]),
  ];
  return sha256(`${previous}\n${JSON.stringify(fields)}`);
}

/** Bumped if what the session ledger hashes ever changes; the first link starts from it. */
const LEDGER_VERSION = 'airlock-session-ledger-v1';

/** What the first link of the session ledger follows, in place of a previous link's hash. */
export const LEDGER_START = sha256(LEDGER_VERSION);

/**
 * The hash of a session's link in the store-wide session ledger (migration 012): its sequence
 * number and its genesis hash (so its identity), chained to the link before it. Deleting, adding
 * or moving a whole session breaks the ledger even where no message chain notices.
 */
export function ledgerHash(seq: number, genesis: string, previous: string): string {
  return sha256(`${previous}\n${JSON.stringify([seq, genesis])}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Text as it will read back from the store. SQLite keeps UTF-8, where a lone surrogate (an agent
 * may send one in a tool name) turns into replacement characters; hashing the string as given would
 * make an intact row look edited, so such text is made well-formed before it is hashed and stored.
 */
export function storedText<T>(value: T): T {
  return (typeof value === 'string' ? (value as unknown as { toWellFormed(): string }).toWellFormed() : value) as T;
}
