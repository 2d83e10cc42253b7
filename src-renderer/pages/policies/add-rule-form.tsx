import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { RuleView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, fieldErrors } from '../../components/api-error-text.js';
import { EMPTY_DRAFT, draftToRule, fieldOfPath, suggestRuleId, type RuleDraft } from './rule-draft.js';

type Problems = Partial<Record<keyof RuleDraft, string>>;

/**
 * "Add a rule": a deny or approve rule for a server and tool, optionally only when an argument
 * matches. It goes first among the local rules, so it decides before the policy file's rules.
 * `prefill` (from a recorded call) replaces the fields whenever it changes, and brings the form into
 * view with `note` saying where the values came from.
 */
export function AddRuleForm({ servers, prefill, note, onAdded }: { servers: string[]; prefill?: Partial<RuleDraft>; note?: ReactNode; onAdded(rule: RuleView): void }) {
  const api = useApi();
  const ids = useId();
  const [draft, setDraft] = useState<RuleDraft>(EMPTY_DRAFT);
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const valueRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!prefill) return;
    setDraft({ ...EMPTY_DRAFT, ...prefill });
    // Opened from History to block a call: the suggested condition is what to check first.
    formRef.current?.scrollIntoView({ block: 'start' });
    valueRef.current?.focus({ preventScroll: true });
  }, [prefill]);

  const id = draft.idEdited ? draft.id : suggestRuleId(draft);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setProblems((current) => ({ ...current, [key]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setProblems({});
    const built = draftToRule({ ...draft, id });
    if ('problem' in built) {
      setError(built.problem);
      return;
    }
    setBusy(true);
    try {
      const rule = await api.call('addLocalRule', { body: { rule: built.rule } });
      setDraft(EMPTY_DRAFT);
      onAdded(rule);
    } catch (failure) {
      const byField: Problems = {};
      for (const { path, message } of fieldErrors(failure)) {
        const field = fieldOfPath(path);
        if (field && !byField[field]) byField[field] = message;
      }
      setProblems(byField);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof RuleDraft) => ({
    id: `${ids}-${key}`,
    'aria-invalid': problems[key] ? true : undefined,
    'aria-describedby': problems[key] ? `${ids}-${key}-problem` : undefined,
  });
  const problem = (key: keyof RuleDraft) =>
    problems[key] && (
      <span id={`${ids}-${key}-problem`} className="field-problem">
        {problems[key]}
      </span>
    );

  return (
    <form ref={formRef} className="rule-form panel" onSubmit={submit} aria-labelledby={`${ids}-heading`} noValidate>
      <h2 id={`${ids}-heading`}>Add a rule</h2>
      {note}
      <p className="muted">A rule added here is checked before the policy file's rules and stays until you remove it.</p>
      <div className="form-grid">
        <label htmlFor={`${ids}-action`}>Action</label>
        <div>
          <select {...field('action')} value={draft.action} onChange={(e) => set('action', e.target.value as RuleDraft['action'])}>
            <option value="deny">Deny</option>
            <option value="approve">Ask a person (approve)</option>
          </select>
        </div>

        <label htmlFor={`${ids}-server`}>Server</label>
        <div>
          <input {...field('server')} list={`${ids}-servers`} value={draft.server} onChange={(e) => set('server', e.target.value)} placeholder="any server" />
          <datalist id={`${ids}-servers`}>
            {servers.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          {problem('server')}
        </div>

        <label htmlFor={`${ids}-tool`}>Tool</label>
        <div>
          <input {...field('tool')} value={draft.tool} onChange={(e) => set('tool', e.target.value)} placeholder="any tool; * and ? are wildcards" />
          {problem('tool')}
        </div>
      </div>

      <fieldset className="argument-condition">
        <legend>Only when an argument… (optional)</legend>
        <div className="form-grid">
          <label htmlFor={`${ids}-pointer`}>JSON pointer</label>
          <div>
            <input {...field('pointer')} value={draft.pointer} onChange={(e) => set('pointer', e.target.value)} placeholder="/query (empty: all the arguments)" />
            {problem('pointer')}
          </div>
          <label htmlFor={`${ids}-test`}>Test</label>
          <div>
            <select {...field('test')} value={draft.test} onChange={(e) => set('test', e.target.value as RuleDraft['test'])}>
              <option value="contains">contains</option>
              <option value="regex">matches the regex</option>
              <option value="equals">equals (JSON)</option>
            </select>
          </div>
          <label htmlFor={`${ids}-value`}>Value</label>
          <div>
            <input {...field('value')} ref={valueRef} value={draft.value} onChange={(e) => set('value', e.target.value)} placeholder="leave empty for no condition" />
            {problem('value')}
          </div>
        </div>
      </fieldset>

      <div className="form-grid">
        <label htmlFor={`${ids}-reason`}>Reason</label>
        <div>
          <input {...field('reason')} value={draft.reason} onChange={(e) => set('reason', e.target.value)} placeholder="shown to the agent, or to the person deciding" />
          {problem('reason')}
        </div>
        <label htmlFor={`${ids}-id`}>Rule id</label>
        <div>
          <input
            {...field('id')}
            value={id}
            onChange={(e) => setDraft((current) => ({ ...current, id: e.target.value, idEdited: e.target.value !== '' }))}
            spellCheck={false}
          />
          {!draft.idEdited && <span className="muted field-hint">made from the fields above; edit it to choose your own</span>}
          {problem('id')}
        </div>
      </div>

      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add rule'}
        </button>
      </div>
    </form>
  );
}
