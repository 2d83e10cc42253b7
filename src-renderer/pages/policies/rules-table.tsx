import type { RuleView } from '../../../src-gateway/control/contract.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { describeMatch, matchAsText } from './describe-match.js';
import { ActionBadge } from './policy-status.js';

const SOURCE_TITLES: Record<RuleView['source'], string> = {
  local: 'Added in this window or by "always allow"; stored in local-policy.json',
  file: 'From your policy file',
  default: 'From the embedded default policy',
  org: "From your organisation's policy bundle",
};

/**
 * The rules in the order they are evaluated; the first that matches a call decides it. `fired`
 * marks the rule the playground's call hit, so a person sees where it sits in the order.
 */
export function RulesTable({ rules, fired, onRemove }: { rules: RuleView[]; fired?: string; onRemove(id: string): Promise<void> }) {
  return (
    <div className="table-scroll">
      <table className="rules-table">
        <caption className="visually-hidden">Rules, in evaluation order</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Rule</th>
            <th scope="col">Source</th>
            <th scope="col">Action</th>
            <th scope="col">Matches</th>
            <th scope="col">Reason</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr key={`${rule.source}:${rule.id}`} className={rule.id === fired ? 'rule-fired' : undefined} aria-current={rule.id === fired ? 'true' : undefined}>
              <td className="numeric">{index + 1}</td>
              <td>
                <code className="rule-id">{rule.id}</code>
                {rule.description && <div className="muted">{rule.description}</div>}
              </td>
              <td>
                <span className={`source-badge source-${rule.source}`} title={SOURCE_TITLES[rule.source]}>
                  {rule.source}
                </span>
              </td>
              <td>
                <ActionBadge action={rule.action} />
                {rule.action === 'approve' && rule.timeoutSeconds !== undefined && (
                  <div className="muted">
                    {rule.timeoutSeconds}s, then {rule.onTimeout ?? 'deny'}
                  </div>
                )}
              </td>
              <td title={matchAsText(rule.match)}>{describeMatch(rule.match)}</td>
              <td>{rule.reason ?? <span className="muted">—</span>}</td>
              <td>
                {rule.source === 'local' && (
                  <ConfirmButton
                    label="Remove"
                    name={`Remove rule ${rule.id}`}
                    question={`Remove ${rule.id}?`}
                    confirmLabel="Yes, remove"
                    onConfirm={() => onRemove(rule.id)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
