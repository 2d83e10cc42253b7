import { useCallback, useEffect, useState } from 'react';
import type { RuleView } from '../../src-gateway/control/contract.js';
import { useApi } from '../api/api-context.js';
import { useLiveEvent } from '../live.js';
import { navigate } from '../router.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorMessage } from '../components/error-message.js';
import { useApiData } from '../components/use-api-data.js';
import { errorMessage } from '../components/api-error-text.js';
import { useSearch } from '../components/use-search.js';
import { AddRuleForm } from './policies/add-rule-form.js';
import { loadCallPrefill, prefillTarget, type CallPrefill } from './policies/call-prefill.js';
import { DraftValidator } from './policies/draft-validator.js';
import { PolicyPlayground } from './policies/policy-playground.js';
import { PolicyStatus } from './policies/policy-status.js';
import { RulesTable } from './policies/rules-table.js';
import '../components/forms.css';
import './policies/policies.css';

/**
 * The policy in force and the tools to change it safely: its rules in evaluation order, local rules
 * to add and remove, a playground that decides a call as you type, and a validator for a draft file.
 * Opened as `/policies?session=<id>&from=<messageId>` it drafts a rule that blocks calls like that one.
 */
export function PoliciesPage() {
  const api = useApi();
  const search = useSearch();
  const [policyRevision, setPolicyRevision] = useState(0);
  const policy = useApiData(() => api.call('policyStatus'), [api, policyRevision]);
  const connections = useApiData(() => api.call('listConnections'), [api]);
  const servers = connections.data?.map((c) => c.name) ?? [];
  const [fired, setFired] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [removeError, setRemoveError] = useState<string>();

  useLiveEvent((event) => {
    if (event.type === 'policy-reloaded') setPolicyRevision((n) => n + 1);
  });

  const target = prefillTarget(search);
  const [prefill, setPrefill] = useState<{ data?: CallPrefill; error?: string }>({});
  const targetKey = target && 'sessionId' in target ? `${target.sessionId}/${target.messageId}` : undefined;
  useEffect(() => {
    setPrefill({});
    if (!target || !('sessionId' in target)) return;
    let current = true;
    loadCallPrefill(api, target.sessionId, target.messageId).then(
      (data) => current && setPrefill({ data }),
      (failure: unknown) => current && setPrefill({ error: errorMessage(failure) }),
    );
    return () => {
      current = false;
    };
    // `target` is rebuilt each render; its key says when it names another call.
  }, [api, targetKey]);

  const changed = () => setPolicyRevision((n) => n + 1);
  const added = (rule: RuleView) => {
    setNotice(`Added rule ${rule.id}; it is checked before the policy file's rules.`);
    changed();
    if (target) {
      setPrefill({});
      navigate('/policies');
    }
  };
  const remove = async (id: string) => {
    setRemoveError(undefined);
    try {
      await api.call('removeLocalRule', { params: { id } });
      setNotice(`Removed rule ${id}.`);
      changed();
    } catch (failure) {
      setRemoveError(`Could not remove ${id}: ${errorMessage(failure)}`);
    }
  };
  const onDecided = useCallback((rule: string | undefined) => setFired(rule), []);

  return (
    <div className="page policies-page">
      <h1>Policies</h1>
      <ErrorMessage what="The policy could not be read" error={policy.error} />
      {policy.loading && !policy.data && <p className="muted">Loading the policy…</p>}
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      {policy.data && (
        <>
          <PolicyStatus policy={policy.data} />
          <section aria-labelledby="rules-heading">
            <h2 id="rules-heading">Rules</h2>
            <p className="muted">Checked top to bottom; the first rule that matches a call decides it.</p>
            {removeError && (
              <div role="alert" className="banner banner-error">
                {removeError}
              </div>
            )}
            {policy.data.rules.length === 0 ? (
              <EmptyState title="No rules">Every call gets the default action. Add a rule below, or point your config at a policy file.</EmptyState>
            ) : (
              <RulesTable rules={policy.data.rules} fired={fired} onRemove={remove} />
            )}
          </section>
        </>
      )}

      <div className="policy-tools">
        <div>
          {target && 'problem' in target && (
            <div role="alert" className="banner banner-error">
              {target.problem}
            </div>
          )}
          {prefill.error && (
            <div role="alert" className="banner banner-error">
              Could not read the recorded call: {prefill.error}
            </div>
          )}
          <AddRuleForm
            servers={servers}
            prefill={prefill.data?.draft}
            note={
              prefill.data && (
                <p className="prefill-note">
                  Drafted from call #{prefill.data.message.id}: <code>{prefill.data.message.tool}</code> on <code>{prefill.data.server}</code>. Recorded
                  arguments are masked, so check the condition before adding the rule.
                </p>
              )
            }
            onAdded={added}
          />
        </div>
        <PolicyPlayground servers={servers} revision={policyRevision} onDecided={onDecided} />
      </div>
      <DraftValidator />
    </div>
  );
}
