import { useId, useState, type FormEvent } from 'react';
import type { PolicyValidationView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../components/api-error-text.js';

/** JSON starts with `{`; anything else is read as YAML (of which JSON is a subset anyway). */
function guessFormat(text: string): 'json' | 'yaml' {
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** Checks a policy file before it is saved: the gateway parses it with the same schema, applying nothing. */
export function DraftValidator() {
  const api = useApi();
  const ids = useId();
  const [text, setText] = useState('');
  const [result, setResult] = useState<PolicyValidationView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const validate = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.call('validatePolicy', { body: { text, format: guessFormat(text) } }));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={validate} aria-labelledby={`${ids}-heading`} className="draft-validator panel">
      <h2 id={`${ids}-heading`}>Check a policy file</h2>
      <label htmlFor={`${ids}-text`}>Policy file (YAML or JSON)</label>
      <textarea
        id={`${ids}-text`}
        rows={8}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setResult(undefined);
        }}
        placeholder={'rules:\n  - id: no-prod-writes\n    match: { server: postgres-prod, tool: "*" }\n    action: deny'}
      />
      <div className="form-actions">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? 'Checking…' : 'Validate'}
        </button>
        <span className="muted">Nothing is applied; save the file where your config points to use it.</span>
      </div>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {result?.valid && (
        <p role="status" className="banner banner-ok">
          Valid: {result.ruleCount} {result.ruleCount === 1 ? 'rule' : 'rules'}.
        </p>
      )}
      {result && !result.valid && (
        <div role="alert" className="banner banner-error">
          <strong>
            {result.errors.length} {result.errors.length === 1 ? 'problem' : 'problems'}:
          </strong>
          <ul className="validation-errors">
            {result.errors.map((problem, index) => (
              <li key={index}>
                {problem.path && <code>{problem.path}</code>} {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
