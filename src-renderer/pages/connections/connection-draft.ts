import type { ConnectionView } from '../../../src-gateway/control/contract.js';

/** One key/value row of a form; `id` keeps React's identity when rows are removed. */
export interface Row {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;
/** A row with a fresh id. */
export function newRow(key = '', value = ''): Row {
  return { id: nextRowId++, key, value };
}

/** The "Add a server" / "Edit" form's fields, as typed. */
export interface ConnectionDraft {
  name: string;
  kind: 'stdio' | 'http';
  command: string;
  /** One argument per line. */
  args: string;
  env: Row[];
  cwd: string;
  url: string;
  headers: Row[];
  /** Values going to the OS keychain; cleared from the form once saved. */
  secrets: Row[];
  /** When editing: the keys whose secrets are stored already and kept unless entered again. */
  storedSecrets: string[];
}

/** The "Add a server" form as it opens: a stdio server with nothing filled in. */
export const EMPTY_CONNECTION: ConnectionDraft = {
  name: '',
  kind: 'stdio',
  command: '',
  args: '',
  env: [],
  cwd: '',
  url: '',
  headers: [],
  secrets: [],
  storedSecrets: [],
};

function strings(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * The form for editing a connection. Settings that reference a stored secret are left out of the
 * rows and listed as stored: the gateway keeps them unless the person enters a new value.
 */
export function draftFromView(view: ConnectionView): ConnectionDraft {
  const server = view.server;
  const stored = new Set(view.secretKeys);
  const rows = (settings: unknown) =>
    Object.entries(strings(settings))
      .filter(([key]) => !stored.has(key))
      .map(([key, value]) => newRow(key, value));
  return {
    ...EMPTY_CONNECTION,
    name: view.name,
    kind: view.kind,
    command: typeof server.command === 'string' ? server.command : '',
    args: Array.isArray(server.args) ? server.args.map(String).join('\n') : '',
    env: rows(server.env),
    cwd: typeof server.cwd === 'string' ? server.cwd : '',
    url: typeof server.url === 'string' ? server.url : '',
    headers: rows(server.headers),
    secrets: [],
    storedSecrets: view.secretKeys,
  };
}

/** Rows as an object; a row with a value and no key, or a key given twice, is a problem to fix first. */
function rowsToRecord(rows: Row[], what: string): Record<string, string> | string {
  const record: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!key) return `Every ${what} needs a name; one has only a value.`;
    if (key in record) return `The ${what} "${key}" is given twice.`;
    record[key] = row.value;
  }
  return record;
}

/** The body of addConnection/updateConnection for a draft, or what to fix first. */
export function draftToInput(draft: ConnectionDraft): { input: Record<string, unknown> } | { problem: string } {
  const secrets = rowsToRecord(draft.secrets, 'credential');
  if (typeof secrets === 'string') return { problem: secrets };
  let server: Record<string, unknown>;
  if (draft.kind === 'stdio') {
    const env = rowsToRecord(draft.env, 'environment variable');
    if (typeof env === 'string') return { problem: env };
    const args = draft.args.split('\n').filter((line) => line.trim() !== '');
    server = { command: draft.command.trim(), args, env, ...(draft.cwd.trim() ? { cwd: draft.cwd.trim() } : {}) };
  } else {
    const headers = rowsToRecord(draft.headers, 'header');
    if (typeof headers === 'string') return { problem: headers };
    server = { url: draft.url.trim(), headers };
  }
  return { input: { name: draft.name.trim(), server, secrets } };
}

/** "npx -y @modelcontextprotocol/server-filesystem /src" or the URL: what a connection runs or reaches. */
export function describeServer(view: ConnectionView): string {
  const server = view.server;
  if (view.kind === 'http') return String(server.url ?? '');
  const args = Array.isArray(server.args) ? server.args.map(String) : [];
  return [String(server.command ?? ''), ...args].join(' ');
}
