import type { Row } from './connection-draft.js';
import { newRow } from './connection-draft.js';

/**
 * Editable name/value rows (environment variables, headers, credentials). Each input is labelled
 * with its row number, so "Credential value 1" can be found by label; `secret` makes values
 * password inputs that the browser does not offer to remember.
 */
export function KeyValueRows({ rows, onChange, noun, keyPlaceholder, secret }: {
  rows: Row[];
  onChange(rows: Row[]): void;
  /** "Environment variable", "Header", "Credential". */
  noun: string;
  keyPlaceholder?: string;
  secret?: boolean;
}) {
  const update = (id: number, change: Partial<Row>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  return (
    <div className="key-value-rows">
      {rows.map((row, index) => (
        <div className="key-value-row" key={row.id}>
          <input
            aria-label={`${noun} name ${index + 1}`}
            value={row.key}
            placeholder={keyPlaceholder ?? 'NAME'}
            spellCheck={false}
            onChange={(e) => update(row.id, { key: e.target.value })}
          />
          <input
            aria-label={`${noun} value ${index + 1}`}
            type={secret ? 'password' : 'text'}
            autoComplete={secret ? 'new-password' : 'off'}
            value={row.value}
            placeholder="value"
            spellCheck={false}
            onChange={(e) => update(row.id, { value: e.target.value })}
          />
          <button type="button" className="button-small" aria-label={`Remove ${noun.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button-small" onClick={() => onChange([...rows, newRow()])}>
        Add {noun.toLowerCase()}
      </button>
    </div>
  );
}
